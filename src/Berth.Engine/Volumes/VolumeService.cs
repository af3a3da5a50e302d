using System.Collections.Concurrent;
using Berth.Engine.Events;
using Berth.Engine.Store;
using Berth.Volumes;

namespace Berth.Engine.Volumes;

/// <summary>
/// The engine's volumes: create, inspect, list, remove and prune over a driver (Docker's <c>local</c>), persisted in
/// <c>berth.db</c>. Containers reference the volumes they were created with (a referenced volume cannot be removed)
/// and mount them for each run (the driver mounts a volume's device at its first use and unmounts it after the last).
/// References live in memory: the container service declares them again at each daemon start.
/// </summary>
public sealed partial class VolumeService
{
    private readonly ConcurrentDictionary<string, Volume> _volumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _references = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly RecordTable<Volume> _repository;
    private readonly EventService _events;
    private readonly IVolumeDriver _driver;

    public VolumeService(EngineDatabase database, EventService events, EngineOptions options)
        : this(database, events, new LocalDriver(Path.Combine(options.DataRoot, "volumes")))
    {
    }

    public VolumeService(EngineDatabase database, EventService events, IVolumeDriver driver)
    {
        _repository = new RecordTable<Volume>(database, "volumes", "name", named: false, EngineJsonContext.Default.Volume);
        _events = events;
        _driver = driver;
        foreach (var volume in _repository.LoadAll()) _volumes[volume.Name] = volume;
    }

    /// <summary>
    /// Docker's volume create: an existing name returns the existing volume (unless its driver differs); an empty
    /// name makes an anonymous volume (64 hex digits, labelled <see cref="Volume.AnonymousLabel"/>).
    /// <paramref name="reference"/>, when given, is a container that uses it from now on.
    /// </summary>
    public Volume Create(string? name, string? driver, IReadOnlyDictionary<string, string>? options,
        IReadOnlyDictionary<string, string>? labels, string? reference = null)
    {
        driver = string.IsNullOrEmpty(driver) ? LocalDriver.DriverName : driver;
        if (driver != _driver.Name)
            throw new EngineException(ErrorKind.NotFound, $"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        var allLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>());
        if (string.IsNullOrEmpty(name))
        {
            name = VolumeNames.NewAnonymous();
            allLabels[Volume.AnonymousLabel] = "";
        }
        lock (_lock)
        {
            if (_volumes.TryGetValue(name, out var existing))
            {
                if (reference is not null) AddReference(name, reference);
                return existing;
            }
            string mountpoint;
            try
            {
                mountpoint = _driver.Create(name, options ?? new Dictionary<string, string>());
            }
            catch (VolumeException e)
            {
                throw new EngineException(e.IsInvalidArgument ? ErrorKind.InvalidArgument : ErrorKind.System, $"create {name}: {e.Message}", e);
            }
            var volume = new Volume
            {
                Name = name, Driver = _driver.Name, Mountpoint = mountpoint, CreatedAt = DateTime.UtcNow,
                Labels = allLabels, Options = new Dictionary<string, string>(options ?? new Dictionary<string, string>()),
            };
            _repository.Save(volume.Name, null, volume);
            _volumes[name] = volume;
            if (reference is not null) AddReference(name, reference);
            _events.Publish("volume", "create", name, new Dictionary<string, string> { ["driver"] = volume.Driver });
            return volume;
        }
    }

    /// <summary>404 <c>get x: no such volume</c>, moby's text.</summary>
    public Volume Get(string name) =>
        _volumes.TryGetValue(name, out var volume) ? volume : throw new EngineException(ErrorKind.NotFound, $"get {name}: no such volume");

    /// <summary>Whether a volume of that name exists.</summary>
    public bool Exists(string name) => _volumes.ContainsKey(name);

    /// <summary>The containers that reference a volume, sorted.</summary>
    public IReadOnlyList<string> References(string name)
    {
        lock (_lock) return _references.TryGetValue(name, out var refs) ? [.. refs.Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>
    /// Docker's volume rm: refused (409 <c>remove x: volume is in use - [ids]</c>) while a container references it.
    /// <paramref name="force"/> forgets a volume even when its driver fails to delete it, and a missing one is no error.
    /// </summary>
    public void Remove(string name, bool force)
    {
        Volume volume;
        lock (_lock)
        {
            if (!_volumes.TryGetValue(name, out volume!))
            {
                if (force) return;
                throw new EngineException(ErrorKind.NotFound, $"get {name}: no such volume");
            }
            if (_references.TryGetValue(name, out var refs) && refs.Count > 0)
                throw new EngineException(ErrorKind.Conflict, $"remove {name}: volume is in use - [{string.Join(", ", refs.Order(StringComparer.Ordinal))}]");
            try
            {
                _driver.Remove(name);
            }
            catch (VolumeException e) when (!force)
            {
                throw new EngineException(ErrorKind.System, $"remove {name}: {e.Message}", e);
            }
            catch (VolumeException)
            {
            }
            _repository.Delete(name);
            _volumes.TryRemove(name, out _);
            _references.Remove(name);
        }
        _events.Publish("volume", "destroy", name, new Dictionary<string, string> { ["driver"] = volume.Driver });
    }

    /// <summary>A container uses the volume (declared at its create, and again at each daemon start).</summary>
    public void AddReference(string name, string containerId)
    {
        lock (_lock)
        {
            if (!_references.TryGetValue(name, out var refs)) _references[name] = refs = new HashSet<string>(StringComparer.Ordinal);
            refs.Add(containerId);
        }
    }

    /// <summary>A container no longer uses the volume (it was removed).</summary>
    public void RemoveReference(string name, string containerId)
    {
        lock (_lock)
        {
            if (_references.TryGetValue(name, out var refs) && refs.Remove(containerId) && refs.Count == 0) _references.Remove(name);
        }
    }

    /// <summary>Mounts the volume for a container's run; returns the host path to bind. Event <c>mount</c>.</summary>
    public string Mount(string name, string containerId, string destination, bool readWrite, string propagation)
    {
        var volume = Get(name);
        string path;
        try
        {
            path = _driver.Mount(name, volume.Options, containerId);
        }
        catch (VolumeException e)
        {
            throw new EngineException(e.IsInvalidArgument ? ErrorKind.InvalidArgument : ErrorKind.System, $"error while mounting volume '{volume.Mountpoint}': {e.Message}", e);
        }
        _events.Publish("volume", "mount", name, new Dictionary<string, string>
        {
            ["container"] = containerId, ["destination"] = destination, ["driver"] = volume.Driver,
            ["propagation"] = propagation, ["read/write"] = readWrite ? "true" : "false",
        });
        return path;
    }

    /// <summary>Ends a run's use of the volume; the driver unmounts it after its last user. Event <c>unmount</c>.</summary>
    public void Unmount(string name, string containerId)
    {
        if (!_volumes.TryGetValue(name, out var volume)) return;
        try
        {
            if (!_driver.Unmount(name, volume.Options, containerId)) return;
        }
        catch (VolumeException e)
        {
            throw new EngineException(ErrorKind.System, $"error unmounting volume {name}: {e.Message}", e);
        }
        _events.Publish("volume", "unmount", name, new Dictionary<string, string> { ["container"] = containerId, ["driver"] = volume.Driver });
    }

    /// <summary>
    /// At daemon start: volumes mounted for containers that kept running stay mounted and counted; a volume left mounted
    /// by a crash with no running user is unmounted. A volume whose driver fails is reported and skipped.
    /// </summary>
    public IReadOnlyList<(string Volume, Exception Error)> Restore(IReadOnlyDictionary<string, IReadOnlyCollection<string>> runningUsers)
    {
        var failures = new List<(string, Exception)>();
        foreach (var volume in _volumes.Values)
        {
            try
            {
                _driver.Restore(volume.Name, volume.Options, runningUsers.GetValueOrDefault(volume.Name) ?? []);
            }
            catch (VolumeException e)
            {
                failures.Add((volume.Name, e));
            }
        }
        return failures;
    }

    /// <summary>Bytes the volume's data uses on the host (0 for a volume mounted from a device).</summary>
    public long Size(Volume volume) => _driver.Size(volume.Name, volume.Options);
}
