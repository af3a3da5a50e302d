namespace Berth.Snapshots.Metadata;

/// <summary>
/// Where a snapshotter keeps its records. The snapshotter loads them all once, then writes through one record at a time;
/// a save replaces the record with the same Id as a whole (a reader never sees half of one).
/// </summary>
public interface ISnapshotMetadataStore
{
    Task<IReadOnlyList<SnapshotRecord>> LoadAsync(CancellationToken cancellationToken = default);

    Task SaveAsync(SnapshotRecord record, CancellationToken cancellationToken = default);

    Task DeleteAsync(string id, CancellationToken cancellationToken = default);
}
