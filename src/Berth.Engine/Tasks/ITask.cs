using Berth.Oci.Runtime;

namespace Berth.Engine.Tasks;

/// <summary>
/// One run of a container, from create to its exit (containerd's <c>runtime.Task</c>). States: created (process held
/// before the user's program) → running (<see cref="StartAsync"/>) ⇄ paused → exited (<see cref="WaitAsync"/>
/// answers) → deleted (<see cref="DeleteAsync"/>: nothing of it is left). Calls on a task whose supervisor is gone
/// throw <see cref="TaskGoneException"/>; refusals of the runtime throw <see cref="TaskFailedException"/>.
/// </summary>
public interface ITask
{
    string Id { get; }

    /// <summary>The container's first process, in the host's PID namespace.</summary>
    int Pid { get; }

    /// <summary>The process supervising the task (the shim), kept so a restarted daemon can find it again.</summary>
    int SupervisorPid { get; }

    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Signals the first process, or with <paramref name="all"/> every process of the container.</summary>
    Task KillAsync(int signal, bool all, CancellationToken cancellationToken = default);

    Task PauseAsync(CancellationToken cancellationToken = default);
    Task ResumeAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the terminal size of the container, or of exec <paramref name="execPid"/>.</summary>
    Task ResizeAsync(int height, int width, int? execPid, CancellationToken cancellationToken = default);

    /// <summary>Applies new resource limits to the container's cgroup.</summary>
    Task UpdateAsync(LinuxResources resources, CancellationToken cancellationToken = default);

    /// <summary>The supervisor closes the container's log file and opens it again at its path.</summary>
    Task ReopenLogAsync(CancellationToken cancellationToken = default);

    /// <summary>Every process of the container, in the host's PID namespace.</summary>
    Task<IReadOnlyList<int>> PidsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The task's exit, once its first process has exited. A supervisor that died without recording one is taken as
    /// a crash: what it supervised is killed and the exit is 255, as containerd reports a dead shim's task.
    /// </summary>
    Task<TaskExit> WaitAsync(CancellationToken cancellationToken = default);

    /// <summary>The container's stdio; output from then on arrives as frames (attach before start to miss nothing).</summary>
    Task<ITaskStream> AttachAsync(bool stdin, bool stdout, bool stderr, CancellationToken cancellationToken = default);

    /// <summary>Runs an OCI process (as JSON) in the container; its stream ends with an exit frame.</summary>
    Task<(int Pid, ITaskStream Stream)> ExecAsync(ReadOnlyMemory<byte> processJson, bool stdin, CancellationToken cancellationToken = default);

    /// <summary>After the exit: waits for the supervisor's own cleanup, then removes what is left of the task.</summary>
    Task DeleteAsync(CancellationToken cancellationToken = default);
}

/// <summary>How a task ended: the code (or 128 + signal) and when.</summary>
public sealed record TaskExit(int ExitCode, DateTime ExitedAt, bool OomKilled);

/// <summary>
/// The stdio stream of an attach or exec: frames until the process's output ended, stdin to it when asked for.
/// Disposing detaches; the process keeps running.
/// </summary>
public interface ITaskStream : IDisposable
{
    /// <summary>The next frame, or null once the stream has ended.</summary>
    ValueTask<TaskFrame?> ReadFrameAsync(CancellationToken cancellationToken = default);

    ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>The process's stdin reaches end of file; output still flows.</summary>
    Task CloseStdinAsync();
}

public enum TaskFrameKind { Stdout = 1, Stderr = 2, Exit = 3 }

/// <summary>Output of the process (stdout or stderr), or an exec's exit code (its stream's last frame).</summary>
public readonly record struct TaskFrame(TaskFrameKind Kind, ReadOnlyMemory<byte> Payload, int ExitCode = 0);

/// <summary>The runtime refused: its message, e.g. an executable that is not found.</summary>
public sealed class TaskFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The task's supervisor is gone: the task has exited (<see cref="ITask.WaitAsync"/> says how).</summary>
public sealed class TaskGoneException(string message, Exception? inner = null) : Exception(message, inner);
