namespace Berth.Snapshots;

/// <summary>
/// Filesystem snapshots arranged in parent chains, as the image store and the container engine use them.
/// <code>
/// PrepareAsync(key, parent) ──► active (writable) ──CommitAsync(name, key)──► committed (immutable, may be a parent)
/// ViewAsync(key, parent)    ──► view (read-only active; cannot be committed)
/// RemoveAsync(key|name)     ──► gone; refused while another snapshot names it as parent
/// </code>
/// Keys and names share one namespace. A parent must be committed. MountsAsync gives the mounts the runtime
/// performs for an active snapshot or view; the snapshotter itself never mounts.
/// Errors are <see cref="SnapshotException"/> with a <see cref="SnapshotErrorKind"/>.
/// </summary>
public interface ISnapshotter
{
    Task<IReadOnlyList<SnapshotMount>> PrepareAsync(string key, string? parent, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SnapshotMount>> ViewAsync(string key, string? parent, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SnapshotMount>> MountsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Turns the active snapshot <paramref name="key"/> into the committed <paramref name="name"/>; the key is gone afterwards.</summary>
    Task CommitAsync(string name, string key, CancellationToken cancellationToken = default);

    Task RemoveAsync(string key, CancellationToken cancellationToken = default);

    Task<SnapshotInfo> StatAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every snapshot, in no promised order.</summary>
    Task<IReadOnlyList<SnapshotInfo>> WalkAsync(CancellationToken cancellationToken = default);

    Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>
/// Layer traffic on active snapshots, as image unpack (apply, then commit) and commit/build (diff) use it.
/// All take an active snapshot's key: apply writes into its writable directory, in this snapshotter's whiteout form;
/// diff writes an OCI layer tar (uncompressed) of what changed against its parent; changes lists those paths as
/// <c>docker diff</c> shows them.
/// None holds the snapshotter's lock while it runs: the caller must not remove the snapshot meanwhile.
/// </summary>
public interface ISnapshotLayers
{
    Task ApplyLayerAsync(string key, Stream layer, CancellationToken cancellationToken = default);

    Task WriteDiffAsync(string key, Stream output, CancellationToken cancellationToken = default);

    /// <param name="hidden">Absolute paths left out, and no reason to report their parent (a runtime's own mount points).</param>
    Task<IReadOnlyList<Layers.FileChange>> ChangesAsync(string key, IReadOnlySet<string>? hidden = null, CancellationToken cancellationToken = default);
}
