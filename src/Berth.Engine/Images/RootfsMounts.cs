using Berth.Linux;
using Berth.Runtime.Rootfs;
using Berth.Snapshots;

namespace Berth.Engine.Images;

/// <summary>Performs a snapshot's mounts on a container's rootfs directory, and takes them down again.</summary>
internal static class RootfsMounts
{
    private const int EINVAL = 22, ENOENT = 2;

    public static void Mount(IReadOnlyList<SnapshotMount> mounts, string target)
    {
        foreach (var mount in mounts)
        {
            var options = MountOptions.Parse(mount.Options, mount.Type);
            if (options.IsBind)
            {
                Mounts.Mount(mount.Source, target, null, options.Flags & (MountFlags.Bind | MountFlags.Rec), null, $"{mount.Source} on {target}");
                if (options.RemountFlags != MountFlags.None)
                    Mounts.Mount(null, target, null, MountFlags.Bind | MountFlags.Remount | options.RemountFlags, null, target);
            }
            else
            {
                Mounts.Mount(mount.Source, target, mount.Type, options.Flags, options.Data, $"{mount.Type} on {target}");
            }
        }
    }

    /// <summary>Lazily unmounts every mount stacked on <paramref name="target"/>; nothing mounted is fine.</summary>
    public static void Unmount(string target)
    {
        for (var i = 0; i < 16; i++)
        {
            try
            {
                Mounts.DetachUnmount(target);
            }
            catch (LinuxException e) when (e.Errno is EINVAL or ENOENT)
            {
                return;
            }
        }
    }
}
