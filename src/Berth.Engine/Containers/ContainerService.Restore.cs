namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Live restore, at daemon start: containers recorded running are adopted as they run (their monitor records an exit
    /// that came meanwhile, from the exit file, or releases what a dead shim left; restart policies apply). Containers
    /// recorded not running have released whatever a daemon killed mid-start left of a run. Those with restart policy
    /// <c>always</c> (or <c>unless-stopped</c>, not stopped by hand) are started.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        _trash.Sweep();
        RestoreVolumes();
        foreach (var container in _byId.Values.ToList())
        {
            if (container.State.Status == ContainerStatus.Removing)
            {
                await RemoveLeftoverAsync(container);
                continue;
            }
            if (container.State.Status == ContainerStatus.Restarting)
            {
                InBackground(RestartAfterExitAsync(container), "restart", container.Id);
                continue;
            }
            if (container.State.IsRunning)
            {
                // Adopted as it runs; the monitor records an exit that came meanwhile, or a shim found dead.
                var run = new ContainerRun(_tasks.Connect(container.Id, container.State.Pid, container.ShimPid));
                container.Run = run;
                if (Oci.NetworkMode.Parse(container.HostConfig.NetworkMode).IsPrivate)
                    await _networks.RestoreAsync(container, Layout.Netns(container.Id));
                InBackground(MonitorAsync(container, run), "exit monitor", container.Id);
                continue;
            }
            // Not running by the record: a daemon killed mid-start may have left a shim, an init stage, cgroups, a mount.
            await ReleaseRunAsync(container, exited: null);
            var policy = container.HostConfig.RestartPolicy.Name;
            if (policy == "always" || (policy == "unless-stopped" && !container.ManuallyStopped))
            {
                lock (container.Lock) container.State.Status = ContainerStatus.Restarting;
                InBackground(RestartAfterExitAsync(container), "restart", container.Id);
            }
        }
    }

    /// <summary>A removal the daemon did not finish before it died: release what its run may have left, then finish it.</summary>
    private async Task RemoveLeftoverAsync(Container container)
    {
        await ReleaseRunAsync(container, exited: null);
        lock (container.Lock) container.State.Status = ContainerStatus.Dead;
        await RemoveAsync(container.Id, force: true);
    }
}
