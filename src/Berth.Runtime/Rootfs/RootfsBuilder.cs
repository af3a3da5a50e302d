using Berth.Linux;
using Berth.Oci.Runtime;
using OciLinux = Berth.Oci.Runtime.Linux;

namespace Berth.Runtime.Rootfs;

/// <summary>
/// Builds the container's filesystem view inside its new mount namespace, in runc's order: make the host's mounts stop
/// propagating to us, bind the rootfs onto itself, mount the spec's mounts under it, create /dev, then (after the
/// createRuntime hooks) pivot_root into it.
/// </summary>
public sealed class RootfsBuilder(Spec spec, string bundle, string rootfs, CgroupMounter cgroups) : IDisposable
{
    private RootDirectory _root = null!;

    private static readonly MountFlags PropagationOnly = MountFlags.PropagationMask | MountFlags.Rec;

    /// <summary>The rootfs's real path (symlinks resolved, as runc does), or the unresolved one when it does not exist.</summary>
    public static string ResolveRootfs(Spec spec, string bundle)
    {
        var path = Path.GetFullPath(Path.Combine(bundle, spec.Root?.Path ?? throw new RuntimeException("config.json: _root.path is required")));
        return Directory.Exists(path) ? FileDescriptors.RealPath(path) : path;
    }

    /// <summary>The first half: everything up to, not including, pivot_root.</summary>
    public void MountAll()
    {
        var linux = spec.Linux ?? new OciLinux();
        var propagation = RootfsPropagation(linux.RootfsPropagation);
        // Slave (not private) by default, as runc: host mounts still reach us, ours never reach the host.
        Mounts.SetPropagation("/", (propagation & ~MountFlags.Rec) | MountFlags.Rec, "/ (rootfs propagation)");
        // Shared (a bidirectional bind, which must stay a peer of its source on the host): the mount that holds the
        // rootfs goes private instead, so that what is mounted under the rootfs stays in the container (runc's
        // rootfsParentMountPrivate); pivot_root needs it too.
        if (propagation.HasFlag(MountFlags.Shared))
            Mounts.SetPropagation(MountPoints.Holding(rootfs, File.ReadAllText("/proc/self/mountinfo")), MountFlags.Private, "the rootfs's mount");
        Mounts.Mount(rootfs, rootfs, null, MountFlags.Bind | MountFlags.Rec, null, $"rootfs {rootfs}");
        // Opened only now, so that it names the bind mount (what pivot_root enters), not the directory under it.
        _root = new RootDirectory(rootfs);

        var devIsBound = false;
        foreach (var mount in spec.Mounts ?? [])
        {
            MountOne(mount);
            devIsBound |= Path.TrimEndingDirectorySeparator(mount.Destination) == "/dev" && MountOptions.Parse(mount.Options, mount.Type).IsBind;
        }
        if (!devIsBound) new DeviceNodes(_root).CreateDefaults();
        new DeviceNodes(_root).Create(linux.Devices ?? []);
    }

    private void MountOne(Mount mount)
    {
        var options = MountOptions.Parse(mount.Options, mount.Type);
        if (!mount.Destination.StartsWith('/'))
            throw new RuntimeException($"mount destination {mount.Destination} is not absolute");
        if (mount.Type == "cgroup" && !options.IsBind)
        {
            cgroups.Mount(_root, mount.Destination, options);
            return;
        }
        if (options.IsBind) Bind(mount, options);
        else Filesystem(mount, options);
    }

    private void Bind(Mount mount, MountOptions options)
    {
        var source = Path.IsPathRooted(mount.Source) ? mount.Source! : Path.GetFullPath(Path.Combine(bundle, mount.Source ?? ""));
        if (!Path.Exists(source)) throw new RuntimeException($"error mounting \"{source}\" to rootfs at \"{mount.Destination}\": stat {source}: no such file or directory");
        var isFile = !Directory.Exists(source);
        using (var target = _root.OpenOrCreate(mount.Destination, asFile: isFile))
        {
            Mounts.Mount(source, FileDescriptors.ProcPath(target), null, options.Flags & (MountFlags.Bind | MountFlags.Rec), null,
                $"{source} to rootfs at {mount.Destination}");
        }
        if (options.RemountFlags != MountFlags.None)
        {
            // The fd above names the covered directory; reopen the path to reach the new mount.
            using var mounted = _root.TryOpen(mount.Destination) ?? throw new RuntimeException($"mount {mount.Destination} vanished");
            var path = FileDescriptors.ProcPath(mounted);
            var keep = Mounts.GetFlags(path) & (MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
            Mounts.Mount(null, path, null, MountFlags.Bind | MountFlags.Remount | options.RemountFlags | keep, null, $"remount {mount.Destination}");
        }
        SetPropagation(mount, options);
    }

    private void Filesystem(Mount mount, MountOptions options)
    {
        using (var target = _root.OpenOrCreate(mount.Destination))
        {
            Mounts.Mount(mount.Source ?? mount.Type, FileDescriptors.ProcPath(target), mount.Type, options.Flags & ~PropagationOnly,
                options.Data.Length == 0 ? null : options.Data, $"{mount.Type} to rootfs at {mount.Destination}");
        }
        SetPropagation(mount, options);
    }

    private void SetPropagation(Mount mount, MountOptions options)
    {
        if (options.Propagation == MountFlags.None) return;
        using var mounted = _root.TryOpen(mount.Destination) ?? throw new RuntimeException($"mount {mount.Destination} vanished");
        Mounts.SetPropagation(FileDescriptors.ProcPath(mounted), options.Propagation, mount.Destination);
    }

    /// <summary>The second half: pivot_root into the rootfs and drop the host's tree.</summary>
    public void PivotRoot()
    {
        using var oldRoot = FileDescriptors.Open("/", OpenFlags.Directory | OpenFlags.ReadOnly);
        ProcessCalls.Chdir(rootfs);
        Mounts.PivotRoot(".", ".");
        // The old root is stacked on "."; make it rslave so unmounting it cannot propagate to the host, then detach it.
        // Through its own fd, as runc: mount(2) does not follow the mount stacked on the working directory, so "." there
        // would be the new root, and a bidirectional bind in it would stop being a peer of its source on the host.
        ProcessCalls.Fchdir(oldRoot, "old root");
        Mounts.SetPropagation(".", MountFlags.Slave | MountFlags.Rec, "old root");
        Mounts.DetachUnmount(".");
        ProcessCalls.Chdir("/");
        var linux = spec.Linux;
        if (!string.IsNullOrEmpty(linux?.RootfsPropagation))
            Mounts.SetPropagation("/", RootfsPropagation(linux.RootfsPropagation), "/ (rootfsPropagation)");
    }

    public void Dispose() => _root?.Dispose();

    /// <summary>rootfsPropagation's value as flags (runc's default, when unset, is rslave).</summary>
    internal static MountFlags RootfsPropagation(string? value) =>
        string.IsNullOrEmpty(value) ? MountFlags.Slave | MountFlags.Rec
        : MountOptions.TryParsePropagation(value, out var propagation) ? propagation
        : throw new RuntimeException($"rootfsPropagation: unknown propagation \"{value}\"");
}
