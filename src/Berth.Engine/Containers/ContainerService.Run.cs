using Berth.Shim.Protocol;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Mounts the root filesystem, writes the bundle, launches the shim (which creates the container: init waits),
    /// connects the attach sessions that were opened before start, and lets the process run. On any failure the
    /// mount, the shim and the runtime state are gone again, and the error is recorded in the container's state.
    /// </summary>
    private async Task StartCoreAsync(Container container, CancellationToken cancellationToken)
    {
        var id = container.Id;
        var rootfs = Layout.Rootfs(id);
        Directory.CreateDirectory(rootfs);
        await _images.MountRootAsync(container.ImageId, ContainerLayout.SnapshotKey(id), rootfs, cancellationToken);
        ShimProcess? launch = null;
        try
        {
            var image = await _images.ResolveAsync(container.ImageId, cancellationToken);
            var process = _bundles.Write(container, Layout, image.Config);
            var healthcheck = EffectiveHealthcheck(container.Config.Healthcheck, image.Config?.Healthcheck);
            File.Delete(Layout.ExitFile(id));
            launch = await ShimLauncher.LaunchAsync(ShimLaunch(container), cancellationToken);
            var run = new ContainerRun(launch.Client, launch.Pid);
            List<StreamSession> pending;
            lock (container.Lock)
            {
                pending = [.. container.PendingAttaches];
                container.PendingAttaches.Clear();
            }
            foreach (var session in pending) await ConnectAttachAsync(container, run, session, cancellationToken);
            await launch.Client.StartAsync(cancellationToken);
            lock (container.Lock)
            {
                container.Run = run;
                container.ShimPid = launch.Pid;
                container.State.Status = ContainerStatus.Running;
                container.State.Pid = launch.ContainerPid;
                container.State.ExitCode = 0;
                container.State.Error = "";
                container.State.OomKilled = false;
                container.State.StartedAt = DateTime.UtcNow;
                container.State.Health = healthcheck is null ? null : new HealthState();
            }
            Save(container);
            Publish(container, "start");
            _ = MonitorAsync(container, run);
            if (healthcheck is not null) _ = MonitorHealthAsync(container, run, healthcheck, process);
        }
        catch (Exception e) when (e is ShimException or ShimGoneException)
        {
            if (launch is not null) await KillShimQuietlyAsync(launch);
            await _images.UnmountRootAsync(ContainerLayout.SnapshotKey(id), rootfs, removeLayer: false, CancellationToken.None);
            var message = $"failed to create task for container: OCI runtime create failed: {e.Message}: unknown";
            List<StreamSession> pending;
            lock (container.Lock)
            {
                container.State.Error = message;
                container.State.ExitCode = StartFailureExitCode(e.Message);
                pending = [.. container.PendingAttaches];
                container.PendingAttaches.Clear();
            }
            foreach (var session in pending) session.Complete();
            Save(container);
            throw new EngineException(ErrorKind.System, message, e);
        }
        catch
        {
            if (launch is not null) await KillShimQuietlyAsync(launch);
            await _images.UnmountRootAsync(ContainerLayout.SnapshotKey(id), rootfs, removeLayer: false, CancellationToken.None);
            throw;
        }
    }

    private ShimLaunchRequest ShimLaunch(Container container) => new()
    {
        ShimPath = _options.ShimPath,
        DiagnosticsFile = Layout.ShimLog(container.Id),
        Options = new ShimOptions
        {
            Stage = _options.RuntimePath,
            Id = container.Id,
            Bundle = Layout.Dir(container.Id),
            RuntimeRoot = Layout.RuntimeRoot,
            Socket = Layout.ShimSocket(container.Id),
            Log = Layout.Log(container.Id),
            ExitFile = Layout.ExitFile(container.Id),
            Tty = container.Config.Tty,
            Stdin = container.Config.OpenStdin,
            StdinOnce = container.Config.StdinOnce,
            ConsoleHeight = container.HostConfig.ConsoleSize?.Height ?? 0,
            ConsoleWidth = container.HostConfig.ConsoleSize?.Width ?? 0,
        },
    };

    /// <summary>The docker CLI turns these texts into 127 and 126; anything else is 128 (Docker's own choice).</summary>
    private static int StartFailureExitCode(string message) =>
        message.Contains("executable file not found", StringComparison.Ordinal) ||
        message.Contains("no such file or directory", StringComparison.Ordinal) ? 127
        : message.Contains("permission denied", StringComparison.Ordinal) ? 126 : 128;

    private static async Task KillShimQuietlyAsync(ShimProcess launch)
    {
        try
        {
            await launch.Client.KillAsync(Berth.Linux.Signals.SIGKILL, all: true, CancellationToken.None);
            await launch.Client.WaitAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ShimException or ShimGoneException or IOException)
        {
            // the shim already cleaned up and left
        }
    }

    /// <summary>
    /// Waits for the run's exit (from the shim, or from its exit file when the shim is gone) and records it. A shim
    /// that died without an exit file was killed: what it supervised is killed and released, and the exit is 255.
    /// </summary>
    private async Task MonitorAsync(Container container, ContainerRun run)
    {
        ExitRecord exit;
        try
        {
            exit = await run.Shim.WaitAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ShimGoneException or IOException or ShimException or ShimProtocolException)
        {
            exit = await ReadExitFileAsync(container.Id) ?? await ReleaseDeadShimAsync(container.Id);
        }
        await OnExitedAsync(container, run, exit);
    }

    /// <summary>The shim writes the exit file before it leaves; give a racing rename a moment. Null: it never will.</summary>
    private async Task<ExitRecord?> ReadExitFileAsync(string id)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (ShimClient.ReadExitFile(Layout.ExitFile(id)) is { } exit) return exit;
            await Task.Delay(20);
        }
        return null;
    }

    /// <summary>containerd's answer to a dead shim: its container is killed and deleted, and it exited with 255.</summary>
    private async Task<ExitRecord> ReleaseDeadShimAsync(string id)
    {
        LogShimDied(_logger, id);
        await ReleaseShimLeftoversAsync(id);
        return new ExitRecord(255, DateTime.UtcNow, false);
    }

    private async Task OnExitedAsync(Container container, ContainerRun run, ExitRecord exit)
    {
        await _images.UnmountRootAsync(ContainerLayout.SnapshotKey(container.Id), Layout.Rootfs(container.Id), removeLayer: false, CancellationToken.None);
        List<Waiter> satisfied;
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

        if (container.HostConfig.AutoRemove)
        {
            await RemoveAfterExitAsync(container);
            return;
        }
        if (ShouldRestart(container, exit.ExitCode))
        {
            lock (container.Lock)
            {
                container.State.Status = ContainerStatus.Restarting;
                container.RestartCount++;
            }
            Save(container);
            _ = RestartAfterExitAsync(container);
        }
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
            await RemoveAsync(container.Id, force: true, CancellationToken.None);
        }
        catch (EngineException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
        {
            // removed meanwhile by a client, or its removal is already in progress
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "restarting container {Id} failed")]
    private static partial void LogRestartFailed(ILogger logger, string id, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "container {Id}: its shim died without recording an exit; killing what it left")]
    private static partial void LogShimDied(ILogger logger, string id);
}
