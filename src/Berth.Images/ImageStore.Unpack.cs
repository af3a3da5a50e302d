using Berth.Oci.Image;
using Berth.Snapshots;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>The key prefix of a snapshot being unpacked: <c>extract-&lt;random&gt;-&lt;chain id&gt;</c>.</summary>
    private const string ExtractPrefix = "extract-";

    /// <summary>
    /// Makes sure a committed snapshot named by each layer's chain id exists (parent: the previous chain id), unpacking the
    /// missing ones from the content store and reusing the others. Unpacks of the same chain, concurrent in this process
    /// or not, never collide: one waits for the other, or finds its snapshot already committed.
    /// </summary>
    /// <exception cref="ImageException">InvalidArgument: a layer that cannot be applied.</exception>
    public async Task UnpackAsync(ImageRecord image, CancellationToken cancellationToken = default)
    {
        using var lease = _leases.Open();
        await UnpackAsync(image.Layers, lease, cancellationToken);
    }

    /// <summary>
    /// Prepares the writable snapshot <paramref name="key"/> of a container on the image's top layer (unpacking the image
    /// first if needed) and returns the mounts that show it. Remove it with <see cref="RemoveContainerRootAsync"/>.
    /// </summary>
    /// <exception cref="SnapshotException">AlreadyExists: <paramref name="key"/> is taken.</exception>
    public async Task<IReadOnlyList<SnapshotMount>> PrepareContainerRootAsync(ImageRecord image, string key, CancellationToken cancellationToken = default)
    {
        using var lease = _leases.Open();
        await UnpackAsync(image.Layers, lease, cancellationToken);
        return await snapshotter.PrepareAsync(key, image.TopChainId?.ToString(), cancellationToken);
    }

    /// <summary>
    /// Removes a container's writable snapshot; false when there is none. Layers below it that no image needs any more
    /// (their image was force-deleted while the container existed) go with it.
    /// </summary>
    public async Task<bool> RemoveContainerRootAsync(string key, CancellationToken cancellationToken = default)
    {
        List<Digest> below;
        try
        {
            below = await AncestorsAsync((await snapshotter.StatAsync(key, cancellationToken)).Parent, cancellationToken);
            await snapshotter.RemoveAsync(key, cancellationToken);
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.NotFound)
        {
            return false;
        }
        await GatedAsync(() => CollectLockedAsync([], below, cancellationToken), cancellationToken);
        return true;
    }

    /// <summary>The chain of committed snapshots from <paramref name="name"/> down to the base, nearest first.</summary>
    private async Task<List<Digest>> AncestorsAsync(string? name, CancellationToken cancellationToken)
    {
        var chain = new List<Digest>();
        while (name is not null && Digest.TryParse(name, out var digest))
        {
            chain.Add(digest);
            try
            {
                name = (await snapshotter.StatAsync(name, cancellationToken)).Parent;
            }
            catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.NotFound)
            {
                break;
            }
        }
        return chain;
    }

    private async Task UnpackAsync(IReadOnlyList<ImageLayer> imageLayers, Leases.Lease lease, CancellationToken cancellationToken)
    {
        Digest? parent = null;
        foreach (var layer in imageLayers)
        {
            lease.Hold(layer.ChainId);
            await EnsureSnapshotAsync(layer, parent, cancellationToken);
            parent = layer.ChainId;
        }
    }

    private Task EnsureSnapshotAsync(ImageLayer layer, Digest? parent, CancellationToken cancellationToken) =>
        CreateSnapshotAsync(layer.ChainId, parent, async (active, token) =>
        {
            await using var blob = await content.OpenReadAsync(layer.Blob, token);
            await layers.ApplyLayerAsync(active, blob, token);
        }, layer.Blob, cancellationToken);

    /// <summary>
    /// Makes the committed snapshot <paramref name="chainId"/> (on <paramref name="parent"/>) unless it exists:
    /// <paramref name="apply"/> fills an active snapshot, which is committed, or removed when anything fails. When the
    /// snapshot is already there, <paramref name="apply"/> does not run.
    /// </summary>
    private async Task CreateSnapshotAsync(Digest chainId, Digest? parent, Func<string, CancellationToken, Task> apply, Digest blob,
        CancellationToken cancellationToken)
    {
        var name = chainId.ToString();
        using var chainLock = await _chainLocks.LockAsync(name, cancellationToken);
        if (await IsCommittedAsync(name, cancellationToken)) return;
        var active = $"{ExtractPrefix}{Guid.NewGuid():N}-{name}";
        await snapshotter.PrepareAsync(active, parent?.ToString(), cancellationToken);
        try
        {
            await apply(active, cancellationToken);
            await snapshotter.CommitAsync(name, active, cancellationToken);
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.AlreadyExists)
        {
            await snapshotter.RemoveAsync(active, CancellationToken.None); // another process committed the same chain first
        }
        catch (Exception e)
        {
            await snapshotter.RemoveAsync(active, CancellationToken.None);
            if (e is SnapshotException { Kind: SnapshotErrorKind.InvalidArgument })
                throw ImageException.Invalid($"layer {blob}: {e.Message}", e);
            throw;
        }
    }

    private async Task<bool> IsCommittedAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await snapshotter.StatAsync(name, cancellationToken)).Kind == SnapshotKind.Committed;
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.NotFound)
        {
            return false;
        }
    }
}
