using System.Collections.Concurrent;
using Berth.Engine.Events;
using Berth.Engine.Networks;
using Berth.Engine.Store;
using Berth.Engine.Tasks;
using Berth.Images;
using Berth.Oci.Image;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// The container engine: create, start, stop, attach, exec, remove… over the image store, the OCI spec builder and a
/// task per run (<see cref="ITaskRuntime"/>: one <c>berth-shim</c> per running container). Containers live in memory,
/// indexed by id and name, and every change is persisted to <c>berth.db</c> before it is answered.
/// </summary>
public sealed partial class ContainerService
{
    private readonly ConcurrentDictionary<string, Container> _byId = new();
    private readonly ConcurrentDictionary<string, string> _idByName = new();
    private readonly Lock _namesLock = new();
    private readonly Volumes.VolumeService _volumes;
    private readonly RecordTable<Container> _repository;
    private readonly IContainerImages _images;
    private readonly EventService _events;
    private readonly EngineOptions _options;
    private readonly ILogger<ContainerService> _logger;
    private readonly ContainerBundles _bundles;
    private readonly ITaskRuntime _tasks;
    private readonly NetworkService _networks;
    private readonly Berth.Snapshots.Trash _trash;

    public ContainerService(EngineDatabase database, IContainerImages images, ITaskRuntime tasks, NetworkService networks, EventService events,
        EngineOptions options, ILogger<ContainerService> logger, Volumes.VolumeService? volumes = null)
    {
        _networks = networks;
        _repository = new RecordTable<Container>(database, "containers", "id", named: true, EngineJsonContext.Default.Container);
        _volumes = volumes ?? new Volumes.VolumeService(database, events, options);
        _images = images;
        _tasks = tasks;
        _events = events;
        _options = options;
        _logger = logger;
        Layout = new ContainerLayout(options);
        _trash = new Berth.Snapshots.Trash(Layout.TrashRoot);
        Directory.CreateDirectory(Layout.ShimsRoot);
        Directory.CreateDirectory(Layout.RuntimeRoot);
        Directory.CreateDirectory(Layout.NetnsRoot);
        _bundles = new ContainerBundles(options, Get);
        foreach (var container in _repository.LoadAll())
        {
            _byId[container.Id] = container;
            _idByName[container.Name] = container.Id;
            DeclareVolumeReferences(container);
        }
    }

    public ContainerLayout Layout { get; }

    public IReadOnlyCollection<Container> All => [.. _byId.Values];

    /// <summary>Docker's lookup: full id, then exact name (with or without '/'), then a unique id prefix.</summary>
    public Container Get(string idOrName)
    {
        if (_byId.TryGetValue(idOrName, out var byId)) return byId;
        var name = idOrName.StartsWith('/') ? idOrName : "/" + idOrName;
        if (_idByName.TryGetValue(name, out var id) && _byId.TryGetValue(id, out var byName)) return byName;
        if (idOrName.Length > 0 && idOrName.All(Uri.IsHexDigit))
        {
            var matches = _byId.Keys.Where(k => k.StartsWith(idOrName, StringComparison.Ordinal)).Take(2).ToList();
            if (matches.Count == 2)
                throw new EngineException(ErrorKind.InvalidArgument, $"multiple IDs found with provided prefix: {idOrName}");
            if (matches.Count == 1) return _byId[matches[0]];
        }
        throw new EngineException(ErrorKind.NotFound, $"No such container: {idOrName}");
    }

    /// <summary>Which containers use which images, and whether they run (image removal's rules need both).</summary>
    public IReadOnlyList<ImageUse> ImageUses() =>
        [.. _byId.Values.Select(c => new ImageUse(Digest.Parse(c.ImageId), c.Id, c.State.IsRunning))];

    private void Save(Container container)
    {
        string json;
        try
        {
            lock (container.Lock) json = _repository.Serialize(container);
        }
        catch (ArgumentException e)
        {
            // System.Text.Json writes no string longer than 166 MB; its own message is a resource key in the NativeAOT daemon.
            throw new EngineException(ErrorKind.InvalidArgument, "the container's configuration cannot be stored: one of its values is larger than 166 MB", e);
        }
        _repository.SaveJson(container.Id, container.Name, json);
    }

    private void Publish(Container container, string action, IReadOnlyDictionary<string, string>? extra = null)
    {
        var attributes = new Dictionary<string, string>(container.Config.Labels)
        {
            ["image"] = container.Config.Image,
            ["name"] = container.Name.TrimStart('/'),
        };
        if (extra is not null)
            foreach (var (k, v) in extra) attributes[k] = v;
        _events.Publish("container", action, container.Id, attributes);
    }
}
