using System.Globalization;

namespace Berth.Cri.Runtime;

/// <summary>
/// containerd's <c>restrict_oom_score_adj</c>, on by itself where it is needed: lowering a process's
/// <c>oom_score_adj</c> below the daemon's own needs CAP_SYS_RESOURCE, and a daemon whose bounding set lacks it (a
/// container, or a host that drops it) would fail every pod kubelet asks a low score for (-997 for a guaranteed
/// pod). There the requested score is raised to berthd's own.
/// </summary>
internal static class OomScore
{
    private const int CapSysResource = 24;

    private static readonly Lazy<int?> s_floor = new(() => FloorOf(File.ReadAllText("/proc/self/status"), File.ReadAllText("/proc/self/oom_score_adj")));

    public static int Restrict(long requested) => Restrict(requested, s_floor.Value);

    public static int Restrict(long requested, int? floor)
    {
        var score = (int)Math.Clamp(requested, int.MinValue, int.MaxValue); // out of range: the engine refuses it
        return floor is { } minimum && score < minimum ? minimum : score;
    }

    /// <summary>
    /// The lowest score the daemon may give: its own when the bounding set in <paramref name="status"/>
    /// (<c>/proc/self/status</c>) lacks CAP_SYS_RESOURCE, else none.
    /// </summary>
    public static int? FloorOf(string status, string ownScore)
    {
        var line = status.Split('\n').FirstOrDefault(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
        if (line is null || !ulong.TryParse(line["CapBnd:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bounding))
            return null;
        if ((bounding & (1UL << CapSysResource)) != 0) return null;
        return int.TryParse(ownScore.Trim(), CultureInfo.InvariantCulture, out var own) ? own : null;
    }
}
