using Berth.Linux;

namespace Berth.Snapshots;

internal static class DiskUsage
{
    /// <summary>Bytes and inodes under <paramref name="dir"/>, each hard-linked inode counted once.</summary>
    public static SnapshotUsage Measure(string dir)
    {
        if (!Directory.Exists(dir)) return new SnapshotUsage(0, 0);
        var seen = new HashSet<ulong>();
        long size = 0;
        foreach (var (_, status) in FileTree.Walk(dir))
        {
            if (!seen.Add(status.Inode)) continue;
            size += status.Size;
        }
        return new SnapshotUsage(size, seen.Count);
    }
}
