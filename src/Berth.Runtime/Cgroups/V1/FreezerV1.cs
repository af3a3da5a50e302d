namespace Berth.Runtime.Cgroups.V1;

/// <summary>The v1 freezer: freezer.state THAWED → FREEZING → FROZEN.</summary>
internal static class FreezerV1
{
    public const string Controller = "freezer";
    private const string StateFile = "freezer.state";
    private const int Attempts = 300;
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Writes FROZEN until the state reads back FROZEN. A v1 cgroup can stay FREEZING while processes fork or join,
    /// and rewriting FROZEN retries the freeze (runc does the same). On failure the cgroup is thawed back: a
    /// half-frozen container is worse than a running one.
    /// </summary>
    public static void Freeze(CgroupDirectory dir)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0) Thread.Sleep(Delay);
            dir.Write(StateFile, "FROZEN");
            var state = ReadState(dir);
            if (state == "FROZEN") return;
            if (state != "FREEZING")
            {
                dir.TryWrite(StateFile, "THAWED");
                throw new CgroupException($"freeze {dir.FileOf(StateFile)}: unexpected state \"{state}\"");
            }
        }
        dir.TryWrite(StateFile, "THAWED");
        throw new CgroupException($"freeze {dir.FileOf(StateFile)}: still FREEZING after {Attempts * Delay.TotalMilliseconds} ms; thawed it back");
    }

    public static void Thaw(CgroupDirectory dir)
    {
        dir.Write(StateFile, "THAWED");
        for (var attempt = 0; ReadState(dir) != "THAWED"; attempt++)
        {
            if (attempt == Attempts)
                throw new CgroupException($"thaw {dir.FileOf(StateFile)}: still \"{ReadState(dir)}\" (is an ancestor frozen?)");
            Thread.Sleep(Delay);
        }
    }

    public static bool IsFrozen(CgroupDirectory dir) => ReadState(dir) == "FROZEN";

    private static string ReadState(CgroupDirectory dir) => dir.Read(StateFile).Trim();
}
