using System.Buffers;
using System.Security.Cryptography;
using Berth.Content;
using Berth.Images.Layers;
using Berth.Oci.Image;

namespace Berth.Images;

public sealed partial class ImageStore
{
    private const int CopyBufferSize = 128 * 1024;

    /// <summary>Stores <paramref name="source"/> as a blob, hashing it on the way and taking a lease on its digest before it becomes visible.</summary>
    private async Task<ContentInfo> IngestAsync(Stream source, string prefix, Leases.Lease lease, CancellationToken cancellationToken)
    {
        var ingest = $"{prefix}-{Guid.NewGuid():N}";
        try
        {
            await using var writer = await content.OpenWriterAsync(ingest, cancellationToken: cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            lease.Hold(Digest.FromHash("sha256", hash.GetHashAndReset()));
            return await writer.CommitAsync(cancellationToken);
        }
        catch
        {
            await AbortIngestAsync(ingest);
            throw;
        }
    }

    /// <summary>Stores an uncompressed layer tar while checking it (see <see cref="LayerScanner"/>); its blob digest is its diff id.</summary>
    private async Task<ImageLayer> IngestLayerAsync(Stream layer, Leases.Lease lease, CancellationToken cancellationToken)
    {
        var ingest = $"import-{Guid.NewGuid():N}";
        try
        {
            await using var writer = await content.OpenWriterAsync(ingest, cancellationToken: cancellationToken);
            var scan = await LayerScanner.ScanAsync(layer, writer.WriteAsync, cancellationToken);
            lease.Hold(scan.DiffId);
            await writer.CommitAsync(cancellationToken);
            return new ImageLayer(scan.DiffId, ImageMediaTypes.DockerLayer, scan.DiffSize, scan.DiffId, scan.DiffId, scan.DiffSize);
        }
        catch
        {
            await AbortIngestAsync(ingest);
            throw;
        }
    }

    private async Task AbortIngestAsync(string ingest)
    {
        try
        {
            await content.AbortAsync(ingest, CancellationToken.None);
        }
        catch (IngestNotFoundException)
        {
        }
    }

    private async Task<Digest> PutBytesAsync(byte[] bytes, Leases.Lease lease, CancellationToken cancellationToken)
    {
        var digest = Digest.Sha256(bytes);
        lease.Hold(digest);
        await content.WriteBlobAsync($"blob-{digest.Encoded}-{Guid.NewGuid():N}", new MemoryStream(bytes), digest, bytes.Length, cancellationToken);
        return digest;
    }

    /// <summary>
    /// Writes a config (the image id is the digest of these bytes) and a manifest for it and <paramref name="imageLayers"/>
    /// (whose chain ids are recomputed here), and returns the record. The manifest is Docker's v2 schema 2 unless
    /// <paramref name="oci"/> is set or a layer is zstd, which only OCI manifests can carry.
    /// </summary>
    private async Task<ImageRecord> WriteImageAsync(
        byte[] configBytes, ImageConfig config, IReadOnlyList<ImageLayer> imageLayers, bool oci, Leases.Lease lease, CancellationToken cancellationToken)
    {
        oci |= imageLayers.Any(l => l.MediaType is MediaTypes.OciLayerZstd);
        var id = await PutBytesAsync(configBytes, lease, cancellationToken);
        var manifest = new ImageManifest
        {
            MediaType = oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig, Digest = id.ToString(), Size = configBytes.Length },
            Layers = [.. imageLayers.Select(l => new Descriptor { MediaType = oci ? ToOci(l.MediaType) : l.MediaType, Digest = l.Blob.ToString(), Size = l.BlobSize })],
        };
        var manifestBytes = ImageJson.Serialize(manifest);
        var manifestDigest = await PutBytesAsync(manifestBytes, lease, cancellationToken);
        return Record(id, manifestDigest, manifest.MediaType, config, imageLayers);
    }

    /// <summary>The record of an image: its layers with their chain ids recomputed from their diff ids.</summary>
    private static ImageRecord Record(Digest id, Digest manifest, string manifestMediaType, ImageConfig config, IReadOnlyList<ImageLayer> imageLayers)
    {
        var chains = ChainIds.Compute(imageLayers.Select(l => l.DiffId));
        return new ImageRecord(id, manifest, manifestMediaType, ParseTime(config.Created) ?? DateTimeOffset.UnixEpoch,
            [.. imageLayers.Select((l, i) => l with { ChainId = chains[i] })]);
    }

    private static string ToOci(string mediaType) => mediaType switch
    {
        ImageMediaTypes.DockerLayer => MediaTypes.OciLayer,
        MediaTypes.DockerLayerGzip => MediaTypes.OciLayerGzip,
        _ => mediaType,
    };
}
