namespace Berth.Runtime.Stages;

/// <summary>What one process stage tells another. The parent and the init (or exec) stage talk only in these.</summary>
public enum StageMessageKind : byte
{
    /// <summary>parent → stage: the stage's cgroups are joined; go on.</summary>
    CgroupsJoined = 1,
    /// <summary>stage → parent: mounts are in place, before pivot_root; run the createRuntime hooks now.</summary>
    MountsReady = 2,
    /// <summary>parent → stage: hooks done; finish the rootfs.</summary>
    HooksDone = 3,
    /// <summary>stage → parent: everything is ready; the stage now waits for start (init) or execs (exec).</summary>
    Ready = 4,
    /// <summary>stage → parent: the stage failed; errno and text say why.</summary>
    Failed = 5,
    /// <summary>parent → exec stage: the process to run (and the container's seccomp), as a JSON spec.</summary>
    Process = 6,
}

/// <summary>A message; <see cref="Errno"/> and <see cref="Text"/> describe a failure.</summary>
public readonly record struct StageMessage(StageMessageKind Kind, int Errno = 0, string Text = "")
{
    public static StageMessage Failure(Exception error) =>
        new(StageMessageKind.Failed, error is Linux.LinuxException le ? le.Errno : 0, error.Message);
}

/// <summary>The stage failed; its message is the one a user sees (runc's wording where runc has one).</summary>
public sealed class StageFailedException(string message, int errno = 0) : Exception(message)
{
    public int Errno { get; } = errno;
}
