namespace Berth.Runtime.Rootfs;

/// <summary>Mount points of a /proc/&lt;pid&gt;/mountinfo table.</summary>
internal static class MountPoints
{
    /// <summary>The mount point of the mount <paramref name="path"/> lies on: the longest mount point that contains it.</summary>
    public static string Holding(string path, string mountInfo)
    {
        var holding = "/";
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length < 5) continue;
            var point = Cgroups.MountInfo.Unescape(fields[4]);
            if (point.Length > holding.Length && (path == point || path.StartsWith(point + "/", StringComparison.Ordinal))) holding = point;
        }
        return holding;
    }
}
