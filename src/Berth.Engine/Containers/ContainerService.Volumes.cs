using Berth.Engine.Containers.Model;
using Berth.Engine.Volumes;
using Berth.Oci.Image;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// A container's mounts over its life: resolved at create (volumes created and referenced, as Docker does), mounted
/// and filled from the image at start, unmounted when the run is released, dereferenced (and the anonymous ones
/// removed, with <c>rm -v</c>) at removal.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>
    /// Parses every mount the container asks for (all of them before any volume is made, so a bad spec leaves
    /// nothing), then creates the volumes that do not exist and references them for <paramref name="id"/>.
    /// </summary>
    private IReadOnlyList<MountPoint> CreateMounts(string id, ContainerConfig config, HostConfig host, ImageRuntimeConfig? image)
    {
        var plan = PlanMounts(config, host, image);
        var created = new List<MountPoint>();
        try
        {
            foreach (var planned in plan)
            {
                var point = planned.Point;
                if (point.Type == "volume")
                {
                    var volume = _volumes.Create(planned.VolumeName, point.Driver, planned.DriverOptions, planned.Labels, reference: id);
                    point = point with { Name = volume.Name, Source = volume.Mountpoint, Driver = volume.Driver };
                }
                created.Add(point);
            }
        }
        catch
        {
            ReleaseVolumes(id, created, removeAnonymous: true);
            throw;
        }
        return created;
    }

    /// <summary>moby's order: volumes of other containers, then Binds, then Mounts, then anonymous volumes where nothing is mounted yet.</summary>
    private List<PlannedMount> PlanMounts(ContainerConfig config, HostConfig host, ImageRuntimeConfig? image)
    {
        var byDestination = new Dictionary<string, PlannedMount>(StringComparer.Ordinal);
        var explicitDestinations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in host.VolumesFrom)
        {
            var (source, readOnly) = MountParser.ParseVolumesFrom(spec);
            Container other;
            try
            {
                other = Get(source);
            }
            catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw new EngineException(ErrorKind.InvalidArgument, e.Message, e);
            }
            foreach (var point in other.Mounts)
                byDestination[point.Destination] = new PlannedMount(point with { RW = point.RW && !readOnly, CopyData = false }) { VolumeName = point.Name };
        }
        foreach (var bind in host.Binds)
        {
            var planned = MountParser.ParseBind(bind, host.VolumeDriver);
            var destination = planned.Point.Destination;
            if (!explicitDestinations.Add(destination) || host.Tmpfs.Keys.Any(t => MountParser.Clean(t) == destination))
                throw new EngineException(ErrorKind.InvalidArgument, $"Duplicate mount point: {destination}");
            byDestination[destination] = planned;
        }
        foreach (var spec in host.Mounts)
        {
            var planned = MountParser.ParseMount(spec, Path.Exists);
            if (!explicitDestinations.Add(planned.Point.Destination))
                throw new EngineException(ErrorKind.InvalidArgument, $"Duplicate mount point: {spec.Target}");
            byDestination[planned.Point.Destination] = planned;
        }
        foreach (var volume in config.Volumes.Concat(image?.Volumes?.Keys.AsEnumerable() ?? []))
        {
            var destination = MountParser.Clean(volume);
            if (!destination.StartsWith('/') || destination == "/" || byDestination.ContainsKey(destination) || host.Tmpfs.ContainsKey(destination)) continue;
            byDestination[destination] = new PlannedMount(new MountPoint
            {
                Type = "volume", Destination = destination, Driver = host.VolumeDriver.Length == 0 ? "local" : host.VolumeDriver, CopyData = true,
            });
        }
        return [.. byDestination.Values];
    }

    /// <summary>At daemon start: the volumes each stored container uses are referenced again.</summary>
    private void DeclareVolumeReferences(Container container)
    {
        foreach (var point in container.Mounts.Where(p => p.Type == "volume")) _volumes.AddReference(point.Name, container.Id);
    }

    /// <summary>
    /// A run's volume step, after the rootfs is mounted: each volume is mounted (its driver's device at first use),
    /// a missing <c>-v</c> bind source is made, and an empty volume that asks for it is filled with the image's content
    /// at its destination (once: the container then forgets to ask).
    /// </summary>
    private void MountVolumes(Container container, string rootfs)
    {
        var copied = false;
        var points = container.Mounts.ToList();
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point.Type == "bind" && point.CreateSource && !Path.Exists(point.Source))
                HostFailure(() => Directory.CreateDirectory(point.Source), $"error while creating mount source path '{point.Source}'");
            if (point.Type != "volume") continue;
            var path = _volumes.Mount(point.Name, container.Id, point.Destination, point.RW, point.Propagation);
            if (!point.CopyData) continue;
            HostFailure(() => VolumeCopyUp.FromImage(rootfs, point.Destination, path), "failed to populate volume");
            points[i] = point with { CopyData = false };
            copied = true;
        }
        if (!copied) return;
        lock (container.Lock) container.Mounts = points;
        Save(container);
    }

    /// <summary>A host failure of a mount step as a 500 with Docker's wording before the cause.</summary>
    private static void HostFailure(Action step, string what)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Berth.Linux.LinuxException)
        {
            throw new EngineException(ErrorKind.System, $"{what}: {e.Message}", e);
        }
    }

    /// <summary>Ends a run's use of its volumes (never throws: the release path logs and goes on).</summary>
    private Task UnmountVolumesAsync(Container container)
    {
        foreach (var point in container.Mounts.Where(p => p.Type == "volume"))
        {
            try
            {
                _volumes.Unmount(point.Name, container.Id);
            }
            catch (EngineException e)
            {
                LogReleaseFailed(_logger, "volume " + point.Name, container.Id, e);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>At removal: the container no longer references its volumes; with <c>-v</c> its anonymous ones are removed.</summary>
    private void ReleaseVolumes(string id, IEnumerable<MountPoint> mounts, bool removeAnonymous)
    {
        foreach (var point in mounts.Where(p => p.Type == "volume" && p.Name.Length > 0))
        {
            _volumes.RemoveReference(point.Name, id);
            if (!removeAnonymous || !_volumes.Exists(point.Name) || !_volumes.Get(point.Name).IsAnonymous) continue;
            try
            {
                _volumes.Remove(point.Name, force: false);
            }
            catch (EngineException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
            {
                // still used by another container (volumes-from), or gone: kept, as Docker keeps it
            }
            catch (EngineException e)
            {
                LogVolumeRemoveFailed(_logger, point.Name, id, e);
            }
        }
    }

    /// <summary>At daemon start: volumes used by containers still running stay mounted; the others are unmounted.</summary>
    private void RestoreVolumes()
    {
        var running = _byId.Values.Where(c => c.State.IsRunning)
            .SelectMany(c => c.Mounts.Where(p => p.Type == "volume").Select(p => (p.Name, c.Id)))
            .GroupBy(u => u.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)[.. g.Select(u => u.Id)], StringComparer.Ordinal);
        foreach (var (volume, error) in _volumes.Restore(running)) LogVolumeRestoreFailed(_logger, volume, error);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "container {Id}: removing its volume {Volume} failed")]
    private static partial void LogVolumeRemoveFailed(ILogger logger, string volume, string id, Exception error);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "volume {Volume}: restoring its mount failed")]
    private static partial void LogVolumeRestoreFailed(ILogger logger, string volume, Exception error);
}
