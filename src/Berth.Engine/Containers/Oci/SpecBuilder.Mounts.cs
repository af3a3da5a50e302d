using Berth.Oci.Runtime;

namespace Berth.Engine.Containers.Oci;

public static partial class SpecBuilder
{
    public const long DefaultShmSize = 64 * 1024 * 1024;
    public const string InitPathInContainer = "/sbin/docker-init";

    // Docker's default mounts (moby oci/defaults.go), in its order; /dev/shm gets its size from ShmSize.
    private static List<Mount> DefaultMounts(long shmSize) =>
    [
        new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
        new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
        new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
        new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
        new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["ro", "nosuid", "noexec", "nodev"] },
        new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
        new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", $"size={shmSize}"] },
    ];

    /// <summary>
    /// The container's mounts as Docker's withMounts lays them out: the defaults (less those a container mount
    /// replaces), the init binary, then the container's own mounts (a shared /dev/shm, <c>--tmpfs</c>, and the
    /// resolv.conf, hostname and hosts files) sorted by depth so that a parent is mounted before its children.
    /// </summary>
    private static List<Mount> Mounts(SpecInput input, SecurityOptions security)
    {
        var host = input.HostConfig;
        var containerMounts = ContainerMounts(input);
        var destinations = containerMounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        var ownDev = destinations.Contains("/dev");

        // --ipc none: no /dev/shm at all, as Docker filters it out.
        var noShm = host.IpcMode == Model.IpcModes.None;
        var mounts = DefaultMounts(host.ShmSize == 0 ? DefaultShmSize : host.ShmSize)
            .Where(m => !destinations.Contains(m.Destination) && !(ownDev && m.Destination.StartsWith("/dev/", StringComparison.Ordinal)))
            .Where(m => !(noShm && m.Destination == "/dev/shm"))
            .ToList();
        if (host.Init)
        {
            var initPath = input.InitPath ?? throw new EngineException(ErrorKind.InvalidArgument, "--init needs an init binary, and the daemon has none configured");
            mounts.Add(new Mount { Destination = InitPathInContainer, Type = "bind", Source = initPath, Options = ["bind", "ro"] });
        }
        mounts.AddRange(containerMounts);

        if (host.ReadonlyRootfs)
        {
            foreach (var m in mounts)
            {
                if (m.Destination is "/proc" or "/dev/pts" or "/dev/shm" or "/dev/mqueue" or "/dev" || destinations.Contains(m.Destination)) continue;
                if (m.Options?.Contains("ro") != true) m.Options = [.. m.Options ?? [], "ro"];
            }
        }
        if (host.Privileged)
            foreach (var m in mounts.Where(m => m.Destination == "/sys")) m.Options = m.Options?.Where(o => o != "ro").ToList();
        if (security.WritableCgroups ?? host.Privileged)
            foreach (var m in mounts.Where(m => m.Type == "cgroup")) m.Options = m.Options?.Where(o => o != "ro").ToList();
        return mounts;
    }

    private static List<Mount> ContainerMounts(SpecInput input)
    {
        var host = input.HostConfig;
        var mounts = new List<Mount>();
        if (input.ShmPath is { } shm) mounts.Add(Bind(shm, "/dev/shm", writable: true));
        foreach (var (destination, data) in host.Tmpfs.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            ValidateTmpfsDestination(destination);
            mounts.Add(new Mount { Destination = destination, Type = "tmpfs", Source = "tmpfs", Options = TmpfsOptions.For(data) });
        }
        foreach (var point in input.Mounts) mounts.Add(ToMount(point));
        var writable = !host.ReadonlyRootfs;
        if (input.ResolvConfPath is { } resolv) mounts.Add(Bind(resolv, "/etc/resolv.conf", writable));
        if (input.HostnamePath is { } hostname) mounts.Add(Bind(hostname, "/etc/hostname", writable));
        if (input.HostsPath is { } hosts) mounts.Add(Bind(hosts, "/etc/hosts", writable));
        // A stable sort by depth (Go's sort of Docker's short lists is an insertion sort, so also stable).
        return [.. mounts.OrderBy(m => Path.TrimEndingDirectorySeparator(m.Destination).Count(c => c == '/'))];
    }

    /// <summary>A bind or volume as an rbind (bind when non-recursive), <c>ro</c> when read-only, with its propagation.</summary>
    private static Mount ToMount(Model.MountPoint point)
    {
        if (point.Type == "tmpfs")
            return new Mount { Destination = point.Destination, Type = "tmpfs", Source = "tmpfs", Options = TmpfsOptions.For(point.TmpfsData) };
        List<string> options = [point.NonRecursive ? "bind" : "rbind"];
        if (!point.RW) options.Add("ro");
        options.Add(point.Propagation.Length == 0 ? "rprivate" : point.Propagation);
        return new Mount { Destination = point.Destination, Type = "bind", Source = point.Source, Options = options };
    }

    private static Mount Bind(string source, string destination, bool writable) => new()
    {
        Destination = destination, Type = "bind", Source = source,
        Options = writable ? ["rbind", "rprivate"] : ["rbind", "ro", "rprivate"],
    };

    private static void ValidateTmpfsDestination(string destination)
    {
        if (!destination.StartsWith('/'))
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid mount config for type \"tmpfs\": invalid mount path: '{destination}' mount path must be absolute");
        if (destination.Trim('/').Length == 0)
            throw new EngineException(ErrorKind.InvalidArgument, "invalid specification: destination can't be '/'");
    }
}
