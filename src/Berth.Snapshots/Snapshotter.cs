using Berth.Snapshots.Metadata;

namespace Berth.Snapshots;

/// <summary>
/// The lifecycle rules every snapshotter shares (keys, parents, states, persistence order); subclasses lay out the files.
/// Files are created before a record is saved and deleted after it is gone, so a record never names missing files;
/// files without a record are removed at the first call. One instance per root: it owns the root's state.
/// </summary>
public abstract class Snapshotter : ISnapshotter, ISnapshotLayers
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ISnapshotMetadataStore _store;
    private readonly Trash _trash;
    private Dictionary<string, SnapshotRecord>? _byName;

    protected Snapshotter(string root, ISnapshotMetadataStore? store)
    {
        Root = Path.GetFullPath(root);
        _store = store ?? new FileSnapshotMetadataStore(Path.Combine(Root, "snapshot-metadata"));
        _trash = new Trash(Path.Combine(Root, "trash"));
    }

    /// <summary>
    /// <code>
    /// &lt;root&gt;/
    ///   snapshot-metadata/&lt;id&gt;.json  one record per snapshot (the default metadata store)
    ///   snapshots/&lt;id&gt;/fs              the snapshot's own files (overlay: its upper dir)
    ///   snapshots/&lt;id&gt;/work            overlay only: overlayfs's work dir
    ///   trash/                         removed snapshots' dirs, deleted in the background
    /// </code>
    /// </summary>
    public string Root { get; }

    protected string SnapshotDir(string id) => Path.Combine(Root, "snapshots", id);

    protected string FsDir(string id) => Path.Combine(SnapshotDir(id), "fs");

    protected string WorkDir(string id) => Path.Combine(SnapshotDir(id), "work");

    /// <summary>Creates the files of a new snapshot; <paramref name="parents"/> is nearest first.</summary>
    protected abstract Task CreateFilesAsync(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents, CancellationToken cancellationToken);

    protected abstract IReadOnlyList<SnapshotMount> MountsOf(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents);

    protected abstract Task ApplyAsync(SnapshotRecord snapshot, Stream layer, CancellationToken cancellationToken);

    protected abstract Task DiffAsync(SnapshotRecord snapshot, SnapshotRecord? parent, Stream output, CancellationToken cancellationToken);

    /// <summary>What <paramref name="snapshot"/> changed against <paramref name="parents"/> (nearest first).</summary>
    protected abstract IReadOnlyList<Layers.FileChange> ChangesOf(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents, IReadOnlySet<string>? hidden);

    public Task<IReadOnlyList<SnapshotMount>> PrepareAsync(string key, string? parent, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.Active, cancellationToken);

    public Task<IReadOnlyList<SnapshotMount>> ViewAsync(string key, string? parent, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.View, cancellationToken);

    public Task<IReadOnlyList<SnapshotMount>> MountsAsync(string key, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, byName =>
        {
            var snapshot = Find(byName, key);
            if (snapshot.Kind == SnapshotKind.Committed)
                throw SnapshotException.FailedPrecondition($"snapshot {key} is committed: only active snapshots and views have mounts");
            return Task.FromResult(MountsOf(snapshot, ParentsOf(byName, snapshot)));
        });

    public Task CommitAsync(string name, string key, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, async byName =>
        {
            ValidateName(name);
            var snapshot = Find(byName, key);
            if (snapshot.Kind != SnapshotKind.Active)
                throw SnapshotException.FailedPrecondition($"snapshot {key} is {snapshot.Kind.ToString().ToLowerInvariant()}: only an active snapshot can be committed");
            if (byName.ContainsKey(name)) throw SnapshotException.AlreadyExists(name);
            var committed = snapshot with { Name = name, Kind = SnapshotKind.Committed, Updated = DateTimeOffset.UtcNow };
            await _store.SaveAsync(committed, cancellationToken);
            byName.Remove(key);
            byName[name] = committed;
            return true;
        });

    public Task RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, async byName =>
        {
            var snapshot = Find(byName, key);
            if (byName.Values.FirstOrDefault(s => s.Parent == key) is { } child)
                throw SnapshotException.FailedPrecondition($"snapshot {key} is the parent of {child.Name}: remove that first");
            await _store.DeleteAsync(snapshot.Id, cancellationToken);
            byName.Remove(key);
            _trash.Discard(SnapshotDir(snapshot.Id));
            return true;
        });

    /// <summary>Completes once the files of the snapshots removed so far are deleted (they go in the background).</summary>
    public Task DrainRemovalsAsync() => _trash.DrainAsync();

    public Task<SnapshotInfo> StatAsync(string key, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, byName => Task.FromResult(Find(byName, key).ToInfo()));

    public Task<IReadOnlyList<SnapshotInfo>> WalkAsync(CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, byName => Task.FromResult<IReadOnlyList<SnapshotInfo>>([.. byName.Values.Select(s => s.ToInfo())]));

    public Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, byName => Task.FromResult(DiskUsage.Measure(FsDir(Find(byName, key).Id))));

    // Apply and diff run outside the lock: a big layer must not stall every other snapshot call. The caller does not
    // remove a snapshot while it applies to or diffs it (containerd's contract too).
    public async Task ApplyLayerAsync(string key, Stream layer, CancellationToken cancellationToken = default)
    {
        var snapshot = await Locked(cancellationToken, byName => Task.FromResult(FindActive(byName, key)));
        await ApplyAsync(snapshot, layer, cancellationToken);
    }

    public async Task WriteDiffAsync(string key, Stream output, CancellationToken cancellationToken = default)
    {
        var (snapshot, parent) = await Locked(cancellationToken, byName =>
        {
            var snapshot = FindActive(byName, key);
            return Task.FromResult((snapshot, snapshot.Parent is null ? null : byName[snapshot.Parent]));
        });
        await DiffAsync(snapshot, parent, output, cancellationToken);
    }

    public async Task<IReadOnlyList<Layers.FileChange>> ChangesAsync(string key, IReadOnlySet<string>? hidden = null, CancellationToken cancellationToken = default)
    {
        var (snapshot, parents) = await Locked(cancellationToken, byName =>
        {
            var snapshot = FindActive(byName, key);
            return Task.FromResult((snapshot, ParentsOf(byName, snapshot)));
        });
        return ChangesOf(snapshot, parents, hidden);
    }

    private Task<IReadOnlyList<SnapshotMount>> CreateAsync(string key, string? parent, SnapshotKind kind, CancellationToken cancellationToken) =>
        Locked(cancellationToken, async byName =>
        {
            ValidateName(key);
            if (byName.ContainsKey(key)) throw SnapshotException.AlreadyExists(key);
            if (parent is not null)
            {
                var parentRecord = byName.GetValueOrDefault(parent) ?? throw SnapshotException.NotFound(parent);
                if (parentRecord.Kind != SnapshotKind.Committed)
                    throw SnapshotException.FailedPrecondition($"parent {parent} is not committed");
            }
            var now = DateTimeOffset.UtcNow;
            var snapshot = new SnapshotRecord(Guid.NewGuid().ToString("N"), key, parent, kind, now, now);
            var parents = ParentsOf(byName, snapshot);
            try
            {
                await CreateFilesAsync(snapshot, parents, cancellationToken);
                await _store.SaveAsync(snapshot, cancellationToken);
            }
            catch
            {
                FileTree.Delete(SnapshotDir(snapshot.Id));
                throw;
            }
            byName[key] = snapshot;
            return MountsOf(snapshot, parents);
        });

    private async Task<T> Locked<T>(CancellationToken cancellationToken, Func<Dictionary<string, SnapshotRecord>, Task<T>> action)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_byName is null)
            {
                var records = await _store.LoadAsync(cancellationToken);
                RemoveOrphans(records);
                _byName = records.ToDictionary(r => r.Name, StringComparer.Ordinal);
            }
            return await action(_byName);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Deletes snapshot dirs without a record, left by a crash inside Prepare (before the save) or Remove (after the
    /// delete), and what a crash left in the trash.
    /// </summary>
    private void RemoveOrphans(IReadOnlyList<SnapshotRecord> records)
    {
        _trash.Sweep();
        var snapshots = Path.Combine(Root, "snapshots");
        if (!Directory.Exists(snapshots)) return;
        var ids = records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in FileTree.Children(snapshots).Where(id => !ids.Contains(id)))
            FileTree.Delete(SnapshotDir(id));
    }

    private static SnapshotRecord Find(Dictionary<string, SnapshotRecord> byName, string key) =>
        byName.GetValueOrDefault(key) ?? throw SnapshotException.NotFound(key);

    private static SnapshotRecord FindActive(Dictionary<string, SnapshotRecord> byName, string key)
    {
        var snapshot = Find(byName, key);
        return snapshot.Kind == SnapshotKind.Active
            ? snapshot
            : throw SnapshotException.FailedPrecondition($"snapshot {key} is {snapshot.Kind.ToString().ToLowerInvariant()}: layers apply to and diff from active snapshots only");
    }

    private static List<SnapshotRecord> ParentsOf(Dictionary<string, SnapshotRecord> byName, SnapshotRecord snapshot)
    {
        var chain = new List<SnapshotRecord>();
        for (var parent = snapshot.Parent; parent is not null; parent = chain[^1].Parent)
            chain.Add(byName.GetValueOrDefault(parent) ?? throw SnapshotException.NotFound(parent));
        return chain;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw SnapshotException.InvalidArgument("a snapshot key or name must not be empty");
    }

}
