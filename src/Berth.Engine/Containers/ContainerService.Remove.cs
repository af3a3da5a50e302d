using Berth.Engine.Diagnostics;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Docker's rm: refused for a running container unless forced (then killed first); removes the writable layer,
    /// the container's directory and its row, and answers <c>wait?condition=removed</c>.
    /// </summary>
    public Task RemoveAsync(string idOrName, bool force, CancellationToken cancellationToken = default) =>
        RemoveAsync(idOrName, force, removeVolumes: false, cancellationToken);

    /// <summary>Docker's rm; <paramref name="removeVolumes"/> (<c>rm -v</c>) also removes its anonymous volumes.</summary>
    public async Task RemoveAsync(string idOrName, bool force, bool removeVolumes, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var phases = Phases.Start(_logger);
        await container.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!_byId.ContainsKey(container.Id)) throw new EngineException(ErrorKind.NotFound, $"No such container: {idOrName}");
            if (container.State.Status == ContainerStatus.Removing)
                throw new EngineException(ErrorKind.Conflict, $"removal of container {container.Id} is already in progress");
            // Its process has exited and the run is being released: a client that saw the end of its output expects
            // it stopped, so the removal waits for that instead of finding it "running".
            if (container.Run is { Exiting: true } ending) await ending.Exited.WaitAsync(cancellationToken);
            if (container.State.IsRunning)
            {
                if (!force)
                    throw new EngineException(ErrorKind.Conflict,
                        $"cannot remove container \"{container.Name}\": container is running: stop the container before removing or force remove");
                container.ManuallyStopped = true;
                if (container.Run is { } run)
                {
                    if (container.State.Status == ContainerStatus.Paused) await run.Task.ResumeAsync(CancellationToken.None);
                    await SignalAsync(container, run, Berth.Linux.Signals.SIGKILL, CancellationToken.None);
                    await run.Exited;
                }
            }
            lock (container.Lock) container.State.Status = ContainerStatus.Removing;
            phases.Mark("stop");
            await _images.UnmountRootAsync(ContainerLayout.SnapshotKey(container.Id), Layout.Rootfs(container.Id), removeLayer: true, CancellationToken.None);
            phases.Mark("layer");
            _repository.Delete(container.Id);
            phases.Mark("row");
            ReleaseVolumes(container.Id, container.Mounts, removeVolumes);
            phases.Mark("volumes");
            _byId.TryRemove(container.Id, out _);
            ReleaseName(container);
            foreach (var execId in _execs.Where(e => e.Value.ContainerId == container.Id).Select(e => e.Key).ToList())
                _execs.TryRemove(execId, out _);
            _trash.Discard(Layout.Dir(container.Id));
            phases.Mark("directory");
            List<Waiter> waiters;
            lock (container.Lock)
            {
                waiters = [.. container.Waiters];
                container.Waiters.Clear();
            }
            Publish(container, "destroy");
            foreach (var waiter in waiters) waiter.Result.TrySetResult(new WaitResult(container.State.ExitCode));
            if (phases.Enabled) LogPhases(_logger, container.Id, "remove", phases);
        }
        finally
        {
            container.Gate.Release();
        }
    }

    /// <summary>Completes once the directories of the containers removed so far are deleted (they go in the background).</summary>
    public Task DrainRemovalsAsync() => _trash.DrainAsync();

    /// <summary>
    /// Docker's container prune: every stopped container the filters (<c>until</c>, <c>label</c>, <c>label!</c>)
    /// select; returns the ids and the bytes their writable layers held.
    /// </summary>
    public async Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, CancellationToken cancellationToken = default)
    {
        var filter = PruneFilter.Parse(filters, DateTimeOffset.UtcNow);
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var container in _byId.Values.Where(c => ContainerNamespace.IsDockers(c) && !c.State.IsRunning && filter.Matches(c.Config.Labels, c.Created)).ToList())
        {
            var size = await _images.WritableLayerSizeAsync(ContainerLayout.SnapshotKey(container.Id), cancellationToken);
            try
            {
                await RemoveAsync(container.Id, force: false, cancellationToken);
            }
            catch (EngineException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
            {
                continue;
            }
            deleted.Add(container.Id);
            reclaimed += size;
        }
        _events.Publish("container", "prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString() });
        return (deleted, reclaimed);
    }
}
