namespace Berth.Runtime.Cgroups.V2;

/// <summary>The v2 freezer: write cgroup.freeze, then wait for cgroup.events to report "frozen 1" (or 0).</summary>
internal static class FreezerV2
{
    private const int Attempts = 500;
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);

    /// <summary>On timeout the cgroup is thawed back: a half-frozen container is worse than a running one.</summary>
    public static void Freeze(CgroupDirectory dir)
    {
        dir.Write("cgroup.freeze", "1");
        if (WaitFor(dir, frozen: true)) return;
        dir.TryWrite("cgroup.freeze", "0");
        throw new CgroupException($"freeze {dir.Path}: {dir.FileOf("cgroup.events")} did not report \"frozen 1\" within {Attempts * Delay.TotalMilliseconds} ms; thawed it back");
    }

    public static void Thaw(CgroupDirectory dir)
    {
        dir.Write("cgroup.freeze", "0");
        if (!WaitFor(dir, frozen: false))
            throw new CgroupException($"thaw {dir.Path}: {dir.FileOf("cgroup.events")} still reports \"frozen 1\" (is an ancestor frozen?)");
    }

    public static bool IsFrozen(CgroupDirectory dir)
    {
        foreach (var line in dir.Read("cgroup.events").Split('\n'))
        {
            if (line.StartsWith("frozen ", StringComparison.Ordinal)) return line["frozen ".Length..].Trim() == "1";
        }
        throw new CgroupException($"read {dir.FileOf("cgroup.events")}: no \"frozen\" line (kernel older than 5.2 has no v2 freezer)");
    }

    private static bool WaitFor(CgroupDirectory dir, bool frozen)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (IsFrozen(dir) == frozen) return true;
            Thread.Sleep(Delay);
        }
        return false;
    }
}
