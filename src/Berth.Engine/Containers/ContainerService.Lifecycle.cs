using System.Runtime.ExceptionServices;
using Berth.Engine.Tasks;
using Berth.Linux;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Starts a created or exited container; 304 when it already runs. A start that fails removes an auto-remove
    /// container, as moby does: <c>run --rm</c> waits for that removal.
    /// </summary>
    public async Task StartAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        ExceptionDispatchInfo? failed = null;
        await container.Gate.WaitAsync(cancellationToken);
        try
        {
            // Refusals of the request itself are not failed starts: they leave an auto-remove container alone.
            if (container.State.IsRunning) throw new EngineException(ErrorKind.NotModified, "container already started");
            if (container.State.Status == ContainerStatus.Removing)
                throw new EngineException(ErrorKind.Conflict, $"container is marked for removal and cannot be started");
            container.ManuallyStopped = false;
            failed = await TryStartCoreAsync(container, cancellationToken);
        }
        finally
        {
            container.Gate.Release();
        }
        if (failed is null) return;
        await RemoveAfterExitAsync(container);
        failed.Throw();
    }

    /// <summary>Starts; a failure of an auto-remove container is returned for removal, any other is thrown.</summary>
    private async Task<ExceptionDispatchInfo?> TryStartCoreAsync(Container container, CancellationToken cancellationToken)
    {
        try
        {
            await StartCoreAsync(container, cancellationToken);
            return null;
        }
        catch (Exception e) when (container.HostConfig.AutoRemove)
        {
            return ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>Docker's stop: the stop signal, up to <paramref name="timeout"/> seconds, then SIGKILL; returns once it exited.</summary>
    public async Task StopAsync(string idOrName, int? timeout, string? signal, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        await container.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!container.State.IsRunning) throw new EngineException(ErrorKind.NotModified, "container already stopped");
            container.ManuallyStopped = true;
            Save(container);
            await StopCoreAsync(container, timeout, signal);
            Publish(container, "stop");
        }
        finally
        {
            container.Gate.Release();
        }
    }

    public async Task RestartAsync(string idOrName, int? timeout, string? signal, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        await container.Gate.WaitAsync(cancellationToken);
        try
        {
            if (container.State.IsRunning)
            {
                container.Run?.MarkStoppedForRestart();
                await StopCoreAsync(container, timeout, signal);
            }
            container.ManuallyStopped = false;
            await StartCoreAsync(container, cancellationToken);
            Publish(container, "restart");
        }
        finally
        {
            container.Gate.Release();
        }
    }

    public async Task KillAsync(string idOrName, string? signal, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var number = ParseSignal(signal, Signals.SIGKILL);
        var run = container.Run;
        if (run is null || !container.State.IsRunning)
            throw new EngineException(ErrorKind.Conflict, $"Cannot kill container: {idOrName}: Container {container.Id} is not running");
        await SignalAsync(container, run, number, cancellationToken);
        if (number == Signals.SIGKILL) await run.Exited.WaitAsync(cancellationToken);
    }

    public async Task PauseAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var run = RunningOrConflict(container);
        if (container.State.Status == ContainerStatus.Paused)
            throw new EngineException(ErrorKind.Conflict, $"Container {container.Id} is already paused");
        await run.Task.PauseAsync(cancellationToken);
        lock (container.Lock) container.State.Status = ContainerStatus.Paused;
        Save(container);
        Publish(container, "pause");
    }

    public async Task UnpauseAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var run = RunningOrConflict(container);
        if (container.State.Status != ContainerStatus.Paused)
            throw new EngineException(ErrorKind.Conflict, $"Container {container.Id} is not paused");
        await run.Task.ResumeAsync(cancellationToken);
        lock (container.Lock) container.State.Status = ContainerStatus.Running;
        Save(container);
        Publish(container, "unpause");
    }

    /// <summary>
    /// Registers a waiter at once (so an exit between this call and the client's start is never missed) and returns
    /// the task the API awaits after it flushed the response headers.
    /// </summary>
    public Task<WaitResult> Wait(string idOrName, WaitCondition condition)
    {
        var container = Get(idOrName);
        lock (container.Lock)
        {
            if (condition == WaitCondition.NotRunning && !container.State.IsRunning)
                return Task.FromResult(new WaitResult(container.State.ExitCode));
            var waiter = new Waiter(condition, new TaskCompletionSource<WaitResult>(TaskCreationOptions.RunContinuationsAsynchronously));
            container.Waiters.Add(waiter);
            return waiter.Result.Task;
        }
    }

    private static ContainerRun RunningOrConflict(Container container) =>
        container.State.IsRunning && container.Run is { } run
            ? run
            : throw new EngineException(ErrorKind.Conflict, $"Container {container.Id} is not running");

    private async Task StopCoreAsync(Container container, int? timeout, string? signal)
    {
        if (container.Run is not { } run)
        {
            // Restarting: waiting out the back-off, nothing runs; stopping ends the wait.
            lock (container.Lock) container.State.Status = ContainerStatus.Exited;
            Save(container);
            return;
        }
        var stopSignal = ParseSignal(signal ?? container.Config.StopSignal, Signals.SIGTERM);
        var seconds = timeout ?? container.Config.StopTimeout ?? 10;
        if (container.State.Status == ContainerStatus.Paused) await run.Task.ResumeAsync(CancellationToken.None);
        if (seconds != 0) await SignalAsync(container, run, stopSignal, CancellationToken.None);
        if (seconds < 0)
        {
            await run.Exited;
            return;
        }
        if (seconds > 0 && await Task.WhenAny(run.Exited, Task.Delay(TimeSpan.FromSeconds(seconds))) == run.Exited) return;
        await SignalAsync(container, run, Signals.SIGKILL, CancellationToken.None);
        await run.Exited;
    }

    private async Task SignalAsync(Container container, ContainerRun run, int signal, CancellationToken cancellationToken)
    {
        try
        {
            await run.Task.KillAsync(signal, all: false, cancellationToken);
        }
        catch (TaskGoneException)
        {
            // the container exited meanwhile: its monitor records the exit
        }
        Publish(container, "kill", new Dictionary<string, string> { ["signal"] = signal.ToString() });
    }

    /// <summary>Docker accepts <c>KILL</c>, <c>SIGKILL</c> and <c>9</c>.</summary>
    internal static int ParseSignal(string? value, int fallback)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        if (Signals.TryParse(value, out var signal) && signal > 0) return signal;
        throw new EngineException(ErrorKind.InvalidArgument, $"Invalid signal: {value}");
    }
}
