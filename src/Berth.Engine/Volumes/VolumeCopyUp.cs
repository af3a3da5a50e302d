using Berth.Linux;
using Berth.Snapshots;

namespace Berth.Engine.Volumes;

/// <summary>
/// Docker's volume population: a new, empty volume mounted where the image has a directory starts with a copy of
/// that directory (owners, modes, links kept). Binds are never filled, nor volumes mounted with <c>nocopy</c>.
/// </summary>
public static class VolumeCopyUp
{
    /// <summary>
    /// Copies <c>&lt;rootfs&gt;/&lt;destination&gt;</c> into <paramref name="volumePath"/> when the volume is empty and
    /// the image has a directory there. A path through a symlink is not followed (it could leave the rootfs): no copy.
    /// </summary>
    public static bool FromImage(string rootfs, string destination, string volumePath)
    {
        if (Directory.EnumerateFileSystemEntries(volumePath).Any()) return false;
        var source = rootfs;
        foreach (var segment in destination.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            source = Path.Combine(source, segment);
            if (FileStatus.TryGet(source) is not { Kind: FileKind.Directory }) return false;
        }
        if (source == rootfs) return false;
        TreeCopy.Copy(source, volumePath);
        return true;
    }
}
