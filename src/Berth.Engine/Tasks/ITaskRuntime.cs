namespace Berth.Engine.Tasks;

/// <summary>
/// The engine's port to running containers (containerd's <c>runtime.PlatformRuntime</c>): it makes a task of a
/// container's bundle, finds the tasks that outlived a daemon restart, and removes what a dead task left.
/// </summary>
public interface ITaskRuntime
{
    /// <summary>
    /// Creates the task of the bundle at <see cref="TaskCreateOptions.Bundle"/>: its supervisor runs and the container's
    /// process exists, held before the user's program until <see cref="ITask.StartAsync"/>. Throws
    /// <see cref="TaskFailedException"/> with the runtime's message when the container cannot be created; nothing of
    /// it is left then.
    /// </summary>
    Task<ITask> CreateAsync(TaskCreateOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// The task of container <paramref name="id"/> as a daemon before this one recorded it (first process
    /// <paramref name="pid"/>, supervisor <paramref name="supervisorPid"/>). Nothing is asked yet: if it has exited
    /// meanwhile, or its supervisor is gone, <see cref="ITask.WaitAsync"/> says so.
    /// </summary>
    ITask Connect(string id, int pid, int supervisorPid);

    /// <summary>
    /// Removes whatever a task of container <paramref name="id"/> left that its supervisor did not: a supervisor still
    /// there is told to kill everything, then every process left in the container's cgroup is killed and the runtime
    /// state removed (containerd's forced delete). Idempotent: nothing left is a no-op.
    /// </summary>
    Task CleanupAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>What a task is made of: the container's id, its bundle, where its log goes, and its stdio.</summary>
public sealed record TaskCreateOptions
{
    public required string Id { get; init; }
    public required string Bundle { get; init; }
    public required string Log { get; init; }
    /// <summary>The OCI runtime by name (<see cref="EngineOptions.Runtimes"/>); berth-runtime's when empty.</summary>
    public string Runtime { get; init; } = "";
    /// <summary>How the log rotates; null writes no log (<c>--log-driver none</c>).</summary>
    public Containers.Logs.LogRotation? LogRotation { get; init; } = new(-1, 1, false);
    /// <summary>The log is in the Kubernetes CRI's format (<see cref="Containers.Logs.LogDrivers.Cri"/>), not Docker's json-file.</summary>
    public bool CriLog { get; init; }
    public bool Tty { get; init; }
    public bool Stdin { get; init; }
    public bool StdinOnce { get; init; }
    public ushort ConsoleHeight { get; init; }
    public ushort ConsoleWidth { get; init; }
}
