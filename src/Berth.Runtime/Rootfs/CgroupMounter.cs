using Berth.Linux;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Rootfs;

/// <summary>
/// Mounts an OCI "cgroup" mount: cgroup2 on a v2 host; on v1 and hybrid hosts a tmpfs holding one mount per hierarchy
/// (hybrid hosts' empty "unified" tree is left out, as runc does). With a cgroup namespace each is a fresh cgroupfs mount rooted at the container's cgroup;
/// without one, the container's own cgroup directories are bind-mounted from the host.
/// </summary>
public sealed class CgroupMounter(string cgroupsPath, bool ownNamespace)
{
    public void Mount(RootDirectory root, string destination, MountOptions options)
    {
        var flags = options.Flags & ~(MountFlags.Bind | MountFlags.Rec | MountFlags.PropagationMask);
        var layout = CgroupLayout.Detect();
        if (layout.Mode == CgroupMode.V2)
        {
            MountHierarchy(root, destination, "cgroup2", null, layout.UnifiedMountPoint!, flags);
            return;
        }
        using (var target = root.OpenOrCreate(destination))
            Mounts.Mount("tmpfs", FileDescriptors.ProcPath(target), "tmpfs", flags & ~MountFlags.ReadOnly, "mode=755", $"tmpfs for cgroups at {destination}");
        foreach (var hierarchy in layout.V1Hierarchies)
        {
            var name = Path.GetFileName(hierarchy.MountPoint);
            MountHierarchy(root, $"{destination}/{name}", "cgroup", hierarchy.MountOptions, hierarchy.MountPoint, flags);
            if (hierarchy.Controllers.Count > 1)
            {
                using var dir = root.OpenDirectory(destination);
                foreach (var controller in hierarchy.Controllers.Where(c => c != name))
                    FileDescriptors.SymlinkAt(name, dir, controller);
            }
        }
        if (flags.HasFlag(MountFlags.ReadOnly))
        {
            using var mounted = root.TryOpen(destination)!;
            Mounts.Mount(null, FileDescriptors.ProcPath(mounted), null, MountFlags.Remount | flags, "mode=755", $"remount {destination} read-only");
        }
    }

    private void MountHierarchy(RootDirectory root, string destination, string type, string? data, string hostMountPoint, MountFlags flags)
    {
        using var target = root.OpenOrCreate(destination);
        var path = FileDescriptors.ProcPath(target);
        if (ownNamespace)
        {
            Mounts.Mount("cgroup", path, type, flags, data, $"{type} at {destination}");
            return;
        }
        var source = hostMountPoint + cgroupsPath;
        Mounts.Mount(source, path, null, MountFlags.Bind, null, $"{source} at {destination}");
        using var mounted = root.TryOpen(destination)!;
        Mounts.Mount(null, FileDescriptors.ProcPath(mounted), null, MountFlags.Bind | MountFlags.Remount | flags, null, $"remount {destination}");
    }
}
