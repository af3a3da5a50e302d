using Berth.Oci.Image;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker import</c>: makes an image of one layer from a root filesystem tar (plain, gzip or zstd, sniffed). The
    /// layer is stored uncompressed (its blob digest is its diff id), the config gets the platform, <c>created</c>, a
    /// history entry, the message as comment and the changes; the manifest is Docker v2 schema 2 (or OCI). The layer is
    /// unpacked and the image tagged with <see cref="ImportOptions.Reference"/>, if any.
    /// A hostile or corrupt tar fails and leaves nothing behind: no blob, no snapshot, no record, no tag.
    /// </summary>
    /// <exception cref="ImageException">InvalidArgument: a bad reference or change, a hostile or corrupt tar.</exception>
    public async Task<ImageRecord> ImportAsync(Stream rootfs, ImportOptions options, CancellationToken cancellationToken = default)
    {
        var reference = options.Reference is null ? null : TagTarget(options.Reference);
        var runtime = ConfigChanges.Apply(new ImageRuntimeConfig(), options.Changes);
        var lease = _leases.Open();
        try
        {
            var layer = await IngestLayerAsync(rootfs, lease, cancellationToken);
            var created = FormatTime(options.Created ?? _time.GetUtcNow());
            var config = new ImageConfig
            {
                Created = created,
                Architecture = options.Architecture,
                Os = options.Os,
                Variant = options.Variant,
                Config = runtime,
                Rootfs = new RootFs { DiffIds = [layer.DiffId.ToString()] },
                History = [new HistoryEntry { Created = created, Comment = options.Message }],
                Comment = options.Message,
            };
            var configBytes = ImageJson.Serialize(config);
            var image = await WriteImageAsync(configBytes, config, [layer], options.OciManifest, lease, cancellationToken);
            await UnpackAsync(image.Layers, lease, cancellationToken);
            return await CommitAsync(image, reference is null ? [] : [reference.ToString()], cancellationToken);
        }
        finally
        {
            await ReleaseAsync(lease);
        }
    }

    /// <summary>A reference to tag with: parsed, normalised, <c>:latest</c> by default; a digest is refused, as Docker does.</summary>
    private static ImageReference TagTarget(string value)
    {
        var reference = ParseReference(value);
        if (reference.Digest is not null) throw ImageException.Invalid("refusing to create a tag with a digest reference");
        return reference.WithDefaultTag();
    }
}
