using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>
/// One image as the index keeps it. <see cref="Id"/> is the digest of the config blob exactly as stored; the manifest,
/// config and layer blobs are in the content store; each layer is unpacked in a committed snapshot named by its chain id.
/// </summary>
public sealed record ImageRecord(
    Digest Id,
    Digest ManifestDigest,
    string ManifestMediaType,
    DateTimeOffset Created,
    IReadOnlyList<ImageLayer> Layers,
    DateTimeOffset? LastTagTime = null)
{
    /// <summary>The image's size: the sum of its layers' uncompressed tar sizes (independent of the snapshotter).</summary>
    public long Size => Layers.Sum(l => l.DiffSize);

    /// <summary>The snapshot a container's writable layer is prepared on (null for an image without layers).</summary>
    public Digest? TopChainId => Layers.Count == 0 ? null : Layers[^1].ChainId;

    /// <summary>The id as Docker abbreviates it: 12 hex digits.</summary>
    public string ShortId => Id.Encoded[..12];

    /// <summary>Every blob the image needs in the content store: manifest, config and layers.</summary>
    public IEnumerable<Digest> Blobs => [ManifestDigest, Id, .. Layers.Select(l => l.Blob)];

    /// <summary>Field-by-field equality (the layer list by its items), so records read back from an index compare equal.</summary>
    public bool Equals(ImageRecord? other) =>
        other is not null && Id == other.Id && ManifestDigest == other.ManifestDigest && ManifestMediaType == other.ManifestMediaType
        && Created == other.Created && LastTagTime == other.LastTagTime && Layers.SequenceEqual(other.Layers);

    public override int GetHashCode() => HashCode.Combine(Id, ManifestDigest, Layers.Count);
}

/// <summary>
/// One layer of an image: its blob (possibly compressed) and what unpacking it gives. <see cref="DiffId"/> is the digest
/// of the uncompressed tar, <see cref="ChainId"/> the OCI chain id naming its snapshot, <see cref="DiffSize"/> the
/// uncompressed tar's length.
/// </summary>
public sealed record ImageLayer(Digest Blob, string MediaType, long BlobSize, Digest DiffId, Digest ChainId, long DiffSize);
