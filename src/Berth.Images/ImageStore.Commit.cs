using Berth.Images.Layers;
using Berth.Oci.Image;
using Berth.Snapshots;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// Makes an image of a parent and a change (<see cref="ImageCommit"/>): the change's layer (an uncompressed tar of
    /// what the active snapshot changed, its blob digest its diff id) on the parent's layers, the parent's history with
    /// one entry more, <c>parent</c> naming the parent image. The result is tagged with the commit's references.
    /// A failure leaves no blob, snapshot or record of its own behind; the active snapshot stays the caller's unless it
    /// was consumed.
    /// </summary>
    /// <exception cref="ImageException">InvalidArgument: a bad reference.</exception>
    public async Task<ImageRecord> CommitImageAsync(ImageCommit commit, CancellationToken cancellationToken = default)
    {
        var references = commit.References.Select(r => TagTarget(r).ToString()).ToList();
        var parentConfig = commit.Parent is null ? null : await ReadConfigAsync(commit.Parent.Id, cancellationToken);
        var lease = _leases.Open();
        try
        {
            var imageLayers = new List<ImageLayer>(commit.Parent?.Layers ?? []);
            if (commit.Layer is { } reused)
            {
                imageLayers.Add(reused);
                var chainId = ChainIds.Compute(imageLayers.Select(l => l.DiffId))[^1];
                lease.Hold(reused.Blob);
                lease.Hold(chainId);
                await EnsureSnapshotAsync(reused with { ChainId = chainId }, commit.Parent?.TopChainId, cancellationToken);
            }
            else if (commit.SnapshotKey is { } key)
            {
                var layer = await WriteChangeAsync(key, lease, cancellationToken);
                imageLayers.Add(layer);
                var parentChain = commit.Parent?.TopChainId;
                var chainId = ChainIds.Compute(imageLayers.Select(l => l.DiffId))[^1];
                lease.Hold(chainId);
                await StoreChangeSnapshotAsync(commit, layer with { ChainId = chainId }, parentChain, cancellationToken);
            }
            var config = CommittedConfig(commit, parentConfig, imageLayers);
            var image = await WriteImageAsync(ImageJson.Serialize(config), config, imageLayers, oci: false, lease, cancellationToken);
            return await CommitAsync(image, references, cancellationToken);
        }
        finally
        {
            await ReleaseAsync(lease);
        }
    }

    /// <summary>The diff of the active snapshot <paramref name="key"/>, stored as a blob while it is written.</summary>
    private async Task<ImageLayer> WriteChangeAsync(string key, Leases.Lease lease, CancellationToken cancellationToken)
    {
        var ingest = $"commit-{Guid.NewGuid():N}";
        try
        {
            await using var writer = await content.OpenWriterAsync(ingest, cancellationToken: cancellationToken);
            await using var digesting = new DigestingStream(writer);
            await layers.WriteDiffAsync(key, digesting, cancellationToken);
            var diffId = digesting.Digest();
            lease.Hold(diffId);
            await writer.CommitAsync(cancellationToken);
            return new ImageLayer(diffId, ImageMediaTypes.DockerLayer, digesting.Length, diffId, diffId, digesting.Length);
        }
        catch
        {
            await AbortIngestAsync(ingest);
            throw;
        }
    }

    /// <summary>
    /// The committed snapshot of the new layer: the active snapshot itself when the commit consumes it (no copy), else
    /// the layer applied from its blob. A snapshot of the same chain made earlier is kept, and a consumed one dropped.
    /// </summary>
    private async Task StoreChangeSnapshotAsync(ImageCommit commit, ImageLayer layer, Digest? parent, CancellationToken cancellationToken)
    {
        if (!commit.ConsumeSnapshot)
        {
            await EnsureSnapshotAsync(layer, parent, cancellationToken);
            return;
        }
        var name = layer.ChainId.ToString();
        using var chainLock = await _chainLocks.LockAsync(name, cancellationToken);
        if (await IsCommittedAsync(name, cancellationToken))
            await snapshotter.RemoveAsync(commit.SnapshotKey!, cancellationToken);
        else
            await snapshotter.CommitAsync(name, commit.SnapshotKey!, cancellationToken);
    }

    private ImageConfig CommittedConfig(ImageCommit commit, ImageConfig? parent, IReadOnlyList<ImageLayer> imageLayers)
    {
        var created = commit.History?.Created ?? FormatTime(_time.GetUtcNow());
        return new ImageConfig
        {
            Created = created,
            Author = commit.Author ?? parent?.Author,
            Architecture = parent?.Architecture ?? commit.Architecture,
            Os = parent?.Os ?? commit.Os,
            Variant = parent?.Variant,
            Config = commit.Config,
            Rootfs = new RootFs { DiffIds = [.. imageLayers.Select(l => l.DiffId.ToString())] },
            History =
            [
                .. parent?.History ?? [],
                commit.History ?? new HistoryEntry
                {
                    Created = created,
                    CreatedBy = commit.CreatedBy,
                    Author = commit.Author,
                    Comment = commit.Comment,
                    EmptyLayer = commit.SnapshotKey is null ? true : null,
                },
            ],
            Parent = commit.Parent?.Id.ToString(),
            Container = commit.Container,
            ContainerConfig = commit.ContainerConfig,
            Comment = commit.Comment,
        };
    }
}
