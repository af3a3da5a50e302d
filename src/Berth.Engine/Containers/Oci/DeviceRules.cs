using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// Docker's device cgroup rules (moby <c>oci/defaults.go</c>): deny everything, allow the standard character devices,
/// deny /dev/fuse. The runtime then appends its own allow list (mknod, ptmx, ptys, tun), as runc does.
/// A privileged container gets every host device and one rule that allows all.
/// </summary>
public static class DeviceRules
{
    public static List<LinuxDeviceCgroup> Default() =>
    [
        new() { Allow = false, Access = "rwm" },
        Char(true, 1, 5), Char(true, 1, 3), Char(true, 1, 9), Char(true, 1, 8), Char(true, 5, 0), Char(true, 5, 1),
        Char(false, 10, 229),
    ];

    public static List<LinuxDeviceCgroup> AllowAll() => [new() { Allow = true, Access = "rwm" }];

    private static LinuxDeviceCgroup Char(bool allow, long major, long minor) =>
        new() { Allow = allow, Type = "c", Major = major, Minor = minor, Access = "rwm" };
}

/// <summary>The device nodes under a host directory, as containerd's HostDevices lists them for <c>--privileged</c>.</summary>
public static class HostDevices
{
    // Directories that are the container's own (pts, shm, mqueue) or not devices at all.
    private static readonly HashSet<string> SkippedDirectories = ["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev"];

    public static List<LinuxDevice> Read(string root)
    {
        var devices = new List<LinuxDevice>();
        Walk(root, root, devices);
        return devices;
    }

    private static void Walk(string root, string directory, List<LinuxDevice> devices)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).ToList();
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }
        foreach (var path in entries)
        {
            var name = Path.GetFileName(path);
            if (FileStatus.TryGet(path) is not { } status) continue;
            if (status.Kind == FileKind.Directory)
            {
                if (!SkippedDirectories.Contains(name)) Walk(root, path, devices);
                continue;
            }
            if (name == "console") continue;
            var type = status.Kind switch { FileKind.CharDevice => "c", FileKind.BlockDevice => "b", FileKind.Fifo => "p", _ => null };
            if (type is null) continue;
            devices.Add(new LinuxDevice
            {
                Path = "/dev/" + Path.GetRelativePath(root, path), Type = type, Major = status.RdevMajor, Minor = status.RdevMinor,
                FileMode = status.Permissions, Uid = status.Uid, Gid = status.Gid,
            });
        }
    }
}
