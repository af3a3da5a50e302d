using Berth.Shim.Protocol;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Live restore, at daemon start: containers whose shim still answers are adopted as they run; those whose shim is
    /// gone have their exit read from the exit file and recorded (restart policies apply). Containers with restart
    /// policy <c>always</c> (or <c>unless-stopped</c>, not stopped by hand) that are not running are started.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        foreach (var container in _byId.Values.ToList())
        {
            if (container.State.Status == ContainerStatus.Removing)
            {
                await RemoveLeftoverAsync(container);
                continue;
            }
            if (container.State.Status == ContainerStatus.Restarting)
            {
                _ = RestartAfterExitAsync(container);
                continue;
            }
            if (container.State.IsRunning)
            {
                var shim = new ShimClient(Layout.ShimSocket(container.Id));
                var run = new ContainerRun(shim, container.ShimPid);
                try
                {
                    var state = await shim.StateAsync(cancellationToken);
                    if (state.Status != "stopped")
                    {
                        container.Run = run;
                        _ = MonitorAsync(container, run);
                        continue;
                    }
                }
                catch (Exception e) when (e is ShimGoneException or IOException or ShimException)
                {
                }
                await OnExitedAsync(container, run, await ReadExitFileAsync(container.Id) ?? await ReleaseDeadShimAsync(container.Id));
                continue;
            }
            // Not running by the record: a daemon killed mid-start may have left a shim, an init stage and cgroups.
            await ReleaseShimLeftoversAsync(container.Id);
            var policy = container.HostConfig.RestartPolicy.Name;
            if (policy == "always" || (policy == "unless-stopped" && !container.ManuallyStopped))
            {
                lock (container.Lock) container.State.Status = ContainerStatus.Restarting;
                _ = RestartAfterExitAsync(container);
            }
        }
    }

    /// <summary>A removal the daemon did not finish before it died: finish it.</summary>
    private async Task RemoveLeftoverAsync(Container container)
    {
        lock (container.Lock) container.State.Status = ContainerStatus.Dead;
        await RemoveAsync(container.Id, force: true);
    }
}
