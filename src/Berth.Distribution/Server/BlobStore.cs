using Berth.Distribution.Storage;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>
/// Blobs: stored once under <c>blobs/</c>, visible in a repository through a link in its <c>_layers/</c>.
/// Nothing here writes blob bytes; <see cref="UploadStore"/> publishes verified uploads.
/// </summary>
public sealed class BlobStore(IStorageDriver driver)
{
    /// <summary>The blob's size when the repository has it, else null.</summary>
    public async Task<long?> StatAsync(string name, Digest digest, CancellationToken cancellationToken = default)
    {
        var link = await Links.ReadAsync(driver, RegistryPaths.LayerLink(name, digest), cancellationToken);
        if (link != digest) return null;
        return await SizeAsync(digest, cancellationToken);
    }

    /// <summary>The size of a stored blob (any repository), else null.</summary>
    public async Task<long?> SizeAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var info = await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken);
        return info is { IsDirectory: false } ? info.Size : null;
    }

    /// <summary>Opens a blob of the repository at an offset; BLOB_UNKNOWN when it has none.</summary>
    public async Task<Stream> OpenAsync(string name, Digest digest, long offset, CancellationToken cancellationToken = default)
    {
        if (await StatAsync(name, digest, cancellationToken) is null) throw BlobUnknown(digest);
        try
        {
            return await driver.OpenReadAsync(RegistryPaths.BlobData(digest), offset, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            throw BlobUnknown(digest); // deleted by gc since the stat
        }
    }

    public Task LinkAsync(string name, Digest digest, CancellationToken cancellationToken = default) =>
        Links.WriteAsync(driver, RegistryPaths.LayerLink(name, digest), digest, cancellationToken);

    /// <summary>Removes the blob from the repository (its bytes go at the next gc).</summary>
    public async Task UnlinkAsync(string name, Digest digest, CancellationToken cancellationToken = default)
    {
        var linkDirectory = StoragePath.Parent(RegistryPaths.LayerLink(name, digest));
        if (!await Links.TryDeleteAsync(driver, linkDirectory, cancellationToken)) throw BlobUnknown(digest);
    }

    /// <summary>Links a blob of <paramref name="from"/> into <paramref name="name"/>; false when <paramref name="from"/> lacks it.</summary>
    public async Task<bool> MountAsync(string name, string from, Digest digest, CancellationToken cancellationToken = default)
    {
        if (await StatAsync(from, digest, cancellationToken) is null) return false;
        await LinkAsync(name, digest, cancellationToken);
        return true;
    }

    private static RegistryException BlobUnknown(Digest digest) => new(ErrorCode.BlobUnknown, digest.ToString());
}
