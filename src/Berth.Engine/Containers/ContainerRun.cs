using Berth.Engine.Tasks;

namespace Berth.Engine.Containers;

/// <summary>One run of a container: its task, and the exit that ends it.</summary>
internal sealed class ContainerRun(ITask task)
{
    public ITask Task { get; } = task;

    private readonly TaskCompletionSource<TaskExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes (after the engine recorded the exit) with the exit.</summary>
    public Task<TaskExit> Exited => _exited.Task;

    /// <summary>The task has exited and the engine is releasing the run: <see cref="Exited"/> completes soon.</summary>
    public bool Exiting { get; private set; }

    public void MarkExiting() => Exiting = true;

    /// <summary>
    /// A <c>restart</c> stops this run and starts the next itself: its exit neither applies the restart policy nor
    /// removes an auto-remove container (moby's "manually restarted").
    /// </summary>
    public bool StoppedForRestart { get; private set; }

    public void MarkStoppedForRestart() => StoppedForRestart = true;

    public void SetExited(TaskExit exit) => _exited.TrySetResult(exit);
}

/// <summary>What <c>wait</c> waits for.</summary>
public enum WaitCondition { NotRunning, NextExit, Removed }

/// <summary>The answer to <c>wait</c>: the exit code, and an error text when the wait ended abnormally.</summary>
public sealed record WaitResult(int StatusCode, string? Error = null);

internal sealed record Waiter(WaitCondition Condition, TaskCompletionSource<WaitResult> Result);
