using Berth.Content;
using Berth.Oci.Image;
using Berth.Snapshots;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// Removes the blobs and snapshots among the candidates that no indexed image needs and no lease holds. Snapshots go
    /// in the order given (pass children first); one that still has children (a container's layer) is kept.
    /// Runs under the gate. Returns the chain ids whose snapshots it removed.
    /// </summary>
    private async Task<List<Digest>> CollectLockedAsync(IEnumerable<Digest> blobs, IEnumerable<Digest> chains, CancellationToken cancellationToken)
    {
        var images = await index.ListAsync(cancellationToken);
        var usedBlobs = images.SelectMany(i => i.Blobs).ToHashSet();
        var usedChains = images.SelectMany(i => i.Layers.Select(l => l.ChainId)).ToHashSet();
        foreach (var blob in blobs.Distinct().Where(b => !usedBlobs.Contains(b) && !_leases.IsHeld(b)))
        {
            try
            {
                await content.DeleteAsync(blob, cancellationToken);
            }
            catch (ContentNotFoundException)
            {
            }
            _configs.TryRemove(blob, out _);
        }
        var removed = new List<Digest>();
        foreach (var chain in chains.Distinct().Where(c => !usedChains.Contains(c) && !_leases.IsHeld(c)))
        {
            try
            {
                await snapshotter.RemoveAsync(chain.ToString(), cancellationToken);
                removed.Add(chain);
            }
            catch (SnapshotException e) when (e.Kind is SnapshotErrorKind.NotFound or SnapshotErrorKind.FailedPrecondition)
            {
            }
        }
        return removed;
    }

    /// <summary>
    /// Removes what a crash or an earlier failure left: unpack snapshots never committed (<c>extract-…</c>), layer
    /// snapshots (named by chain id) that no image needs and no container stands on, ingests no writer holds (a killed
    /// pull's or import's partial downloads), and blobs no image needs. Leases protect what an operation in flight has
    /// written and not yet indexed. The engine calls it at start; a prune ends with it.
    /// Returns the chain ids whose snapshots it removed.
    /// </summary>
    public Task<IReadOnlyList<Digest>> CollectGarbageAsync(CancellationToken cancellationToken = default) =>
        GatedAsync(() => CollectGarbageLockedAsync(cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<Digest>> CollectGarbageLockedAsync(CancellationToken cancellationToken)
    {
        await AbortAbandonedIngestsAsync(cancellationToken);
        var blobs = new List<Digest>();
        await foreach (var blob in content.WalkAsync(cancellationToken)) blobs.Add(blob.Digest);
        await CollectLockedAsync(blobs, [], cancellationToken);
        return await CollectSnapshotsLockedAsync(cancellationToken);
    }

    /// <summary>Discards every ingest no writer holds now: after a crash, all of them; while the daemon runs, only those
    /// whose writer is gone (an operation writing holds its ingest locked).</summary>
    private async Task AbortAbandonedIngestsAsync(CancellationToken cancellationToken)
    {
        foreach (var ingest in await content.ListIngestsAsync(cancellationToken))
        {
            if (ingest.Expected is { } expected && _leases.IsHeld(expected)) continue;
            try
            {
                await content.AbortAsync(ingest.Reference, cancellationToken);
            }
            catch (Exception e) when (e is IngestLockedException or IngestNotFoundException)
            {
                // a writer is at work on it, or it finished meanwhile
            }
        }
    }

    /// <summary>Unpack snapshots a crash left half done, and layer snapshots no image needs, deepest first.</summary>
    private async Task<IReadOnlyList<Digest>> CollectSnapshotsLockedAsync(CancellationToken cancellationToken)
    {
        var snapshots = await snapshotter.WalkAsync(cancellationToken);
        foreach (var stale in snapshots.Where(s => s.Kind == SnapshotKind.Active && s.Name.StartsWith(ExtractPrefix, StringComparison.Ordinal)))
        {
            var chain = stale.Name[(stale.Name.IndexOf('-', ExtractPrefix.Length) + 1)..];
            if (Digest.TryParse(chain, out var digest) && _leases.IsHeld(digest)) continue; // an unpack in progress
            await snapshotter.RemoveAsync(stale.Name, cancellationToken);
        }
        var parents = snapshots.ToDictionary(s => s.Name, s => s.Parent, StringComparer.Ordinal);
        int Depth(string name)
        {
            var depth = 0;
            for (var parent = parents.GetValueOrDefault(name); parent is not null; parent = parents.GetValueOrDefault(parent)) depth++;
            return depth;
        }
        var layers = snapshots
            .Where(s => s.Kind == SnapshotKind.Committed && Digest.TryParse(s.Name, out _))
            .OrderByDescending(s => Depth(s.Name))
            .Select(s => Digest.Parse(s.Name));
        return await CollectLockedAsync([], layers, cancellationToken);
    }

    /// <summary>
    /// Ends an import or load, failed or not: releases its lease and removes what it held that no image needs (all of it
    /// after a failure; after a success, the archive's files that are no image's blobs).
    /// </summary>
    private async Task ReleaseAsync(Leases.Lease lease)
    {
        var held = lease.Digests.ToList();
        lease.Dispose();
        held.Reverse(); // chain ids were held parent first
        await GatedAsync(() => CollectLockedAsync(held, held, CancellationToken.None), CancellationToken.None);
    }

    /// <summary>Puts a finished image in the index with its references, in one transaction. A known image keeps its record.</summary>
    private Task<ImageRecord> CommitAsync(ImageRecord image, IReadOnlyCollection<string> references, CancellationToken cancellationToken) =>
        GatedAsync(async () =>
        {
            var existing = await index.GetAsync(image.Id, cancellationToken);
            await index.PutAsync(existing ?? image, references, _time.GetUtcNow(), cancellationToken);
            return await index.GetAsync(image.Id, cancellationToken) ?? image;
        }, cancellationToken);
}
