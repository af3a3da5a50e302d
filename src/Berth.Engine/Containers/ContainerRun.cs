using Berth.Shim.Protocol;

namespace Berth.Engine.Containers;

/// <summary>One run of a container: the shim that supervises it, and the exit that ends it.</summary>
internal sealed class ContainerRun(ShimClient shim, int shimPid)
{
    public ShimClient Shim { get; } = shim;
    public int ShimPid { get; } = shimPid;

    private readonly TaskCompletionSource<ExitRecord> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes (after the engine recorded the exit) with the exit.</summary>
    public Task<ExitRecord> Exited => _exited.Task;

    public void SetExited(ExitRecord exit) => _exited.TrySetResult(exit);
}

/// <summary>What <c>wait</c> waits for.</summary>
public enum WaitCondition { NotRunning, NextExit, Removed }

/// <summary>The answer to <c>wait</c>: the exit code, and an error text when the wait ended abnormally.</summary>
public sealed record WaitResult(int StatusCode, string? Error = null);

internal sealed record Waiter(WaitCondition Condition, TaskCompletionSource<WaitResult> Result);
