using Berth.Engine.Tasks;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Waits for the task's exit and records it. Whatever goes wrong on the way, the container does not stay
    /// "running": the exit is then taken as 255, as for a crashed shim.
    /// </summary>
    private async Task MonitorAsync(Container container, ContainerRun run)
    {
        TaskExit exit;
        try
        {
            exit = await run.Task.WaitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            LogBackgroundFailed(_logger, "waiting for the exit", container.Id, e);
            exit = new TaskExit(255, DateTime.UtcNow, false);
        }
        run.MarkExiting();
        try
        {
            await OnExitedAsync(container, run, exit);
        }
        finally
        {
            // Even when recording it failed (the database refused a write): stop, kill and rm wait for this.
            run.SetExited(exit);
        }
    }

    /// <summary>
    /// Records the exit, and decides on a policy restart, before <see cref="ContainerRun.Exited"/> completes: a stop
    /// returns then, and a start that follows it at once must find the decision made (it sets
    /// <see cref="Container.ManuallyStopped"/> again), not have its new run marked restarting by this old one.
    /// </summary>
    private async Task OnExitedAsync(Container container, ContainerRun run, TaskExit exit)
    {
        await ReleaseRunAsync(container, run.Task);
        List<Waiter> satisfied;
        bool restart;
        lock (container.Lock)
        {
            container.Run = null;
            container.ShimPid = 0;
            container.State.Status = ContainerStatus.Exited;
            container.State.Pid = 0;
            container.State.ExitCode = exit.ExitCode;
            container.State.OomKilled = exit.OomKilled;
            container.State.FinishedAt = exit.ExitedAt;
            if (container.State.Health is { } health) health.Status = "unhealthy";
            satisfied = container.Waiters.Where(w => w.Condition != WaitCondition.Removed).ToList();
            container.Waiters.RemoveAll(satisfied.Contains);
            restart = !run.StoppedForRestart && !container.HostConfig.AutoRemove && ShouldRestart(container, exit.ExitCode);
            if (restart)
            {
                container.State.Status = ContainerStatus.Restarting;
                container.RestartCount++;
            }
        }
        Save(container);
        var duration = container.State.FinishedAt - container.State.StartedAt;
        Publish(container, "die", new Dictionary<string, string>
        {
            ["exitCode"] = exit.ExitCode.ToString(),
            ["execDuration"] = ((long)Math.Max(0, duration.TotalSeconds)).ToString(),
        });
        if (exit.OomKilled) Publish(container, "oom");
        run.SetExited(exit);
        foreach (var waiter in satisfied) waiter.Result.TrySetResult(new WaitResult(exit.ExitCode));

        if (container.HostConfig.AutoRemove && !run.StoppedForRestart) await RemoveAfterExitAsync(container);
        else if (restart) InBackground(RestartAfterExitAsync(container), "restart", container.Id);
    }

    private static bool ShouldRestart(Container container, int exitCode)
    {
        if (container.ManuallyStopped) return false;
        var policy = container.HostConfig.RestartPolicy;
        return policy.Name switch
        {
            "always" or "unless-stopped" => true,
            "on-failure" => exitCode != 0 && (policy.MaximumRetryCount == 0 || container.RestartCount < policy.MaximumRetryCount),
            _ => false,
        };
    }

    /// <summary>Docker's back-off: 100 ms, doubling per consecutive restart, at most a minute; the state says restarting meanwhile.</summary>
    private async Task RestartAfterExitAsync(Container container)
    {
        var delay = TimeSpan.FromMilliseconds(100 * Math.Pow(2, Math.Min(container.RestartCount - 1, 10)));
        await Task.Delay(delay < TimeSpan.FromMinutes(1) ? delay : TimeSpan.FromMinutes(1));
        await container.Gate.WaitAsync();
        try
        {
            if (container.State.Status != ContainerStatus.Restarting || container.ManuallyStopped || !_byId.ContainsKey(container.Id)) return;
            await StartCoreAsync(container, CancellationToken.None);
            Publish(container, "restart");
        }
        catch (Exception e)
        {
            lock (container.Lock) container.State.Status = ContainerStatus.Exited;
            Save(container);
            LogRestartFailed(_logger, container.Id, e);
        }
        finally
        {
            container.Gate.Release();
        }
    }

    private async Task RemoveAfterExitAsync(Container container)
    {
        try
        {
            await RemoveAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
        }
        catch (EngineException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
        {
            // removed meanwhile by a client, or its removal is already in progress
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "restarting container {Id} failed")]
    private static partial void LogRestartFailed(ILogger logger, string id, Exception error);
}
