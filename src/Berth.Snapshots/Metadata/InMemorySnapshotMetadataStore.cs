using System.Collections.Concurrent;

namespace Berth.Snapshots.Metadata;

/// <summary>Records that live as long as the object: for tests and throwaway snapshotters.</summary>
public sealed class InMemorySnapshotMetadataStore : ISnapshotMetadataStore
{
    private readonly ConcurrentDictionary<string, SnapshotRecord> _records = new();

    public Task<IReadOnlyList<SnapshotRecord>> LoadAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SnapshotRecord>>([.. _records.Values]);

    public Task SaveAsync(SnapshotRecord record, CancellationToken cancellationToken = default)
    {
        _records[record.Id] = record;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        _records.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}
