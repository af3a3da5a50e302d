using System.Formats.Tar;
using Berth.Content;
using Berth.Images.Archive;
using Berth.Images.Layers;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Snapshots.Layers;

namespace Berth.Images;

public sealed partial class ImageStore
{
    private const string ContainerdNameAnnotation = "io.containerd.image.name";
    private const string OciRefNameAnnotation = "org.opencontainers.image.ref.name";
    private const int MaxIndexDepth = 4;

    /// <summary>The platform picked from a multi-platform index in an OCI layout.</summary>
    public string Architecture { get; init; } = "amd64";

    /// <summary>
    /// <c>docker load</c>: reads a Docker archive (<c>manifest.json</c> with Config, RepoTags and Layers; legacy
    /// <c>&lt;id&gt;/layer.tar</c> or <c>blobs/sha256/…</c> paths; layers plain, gzip or zstd) or, without
    /// <c>manifest.json</c>, an OCI image layout (<c>index.json</c>, names from the <c>io.containerd.image.name</c> or a
    /// full <c>org.opencontainers.image.ref.name</c> annotation). The archive itself may be gzip or zstd.
    /// Every digest is verified (blob paths, diff ids) and every layer checked before anything is indexed: a hostile or
    /// corrupt archive fails with nothing left behind. The images are unpacked and tagged.
    /// </summary>
    /// <exception cref="ImageException">InvalidArgument: the archive is malformed, hostile, or does not match its digests.</exception>
    public async Task<IReadOnlyList<LoadedImage>> LoadAsync(Stream archive, CancellationToken cancellationToken = default)
    {
        var lease = _leases.Open();
        try
        {
            ArchiveFiles files;
            await using (var tar = await LayerCompression.OpenDecompressedAsync(archive, cancellationToken))
                files = await ReadArchiveAsync(tar, lease, cancellationToken);
            var images = files.Contains("manifest.json") ? await ReadDockerArchiveAsync(files, lease, cancellationToken)
                : files.Contains("index.json") ? await ReadOciLayoutAsync(files, cancellationToken)
                : throw ImageException.Invalid("invalid archive: neither manifest.json nor index.json found");
            foreach (var (image, _) in images) await UnpackAsync(image.Layers, lease, cancellationToken);
            var loaded = new List<LoadedImage>();
            foreach (var (image, tags) in images)
            {
                var committed = await CommitAsync(image, [.. tags.Select(Key)], cancellationToken);
                loaded.Add(new LoadedImage(committed, [.. tags.Select(t => t.Familiar)]));
            }
            return loaded;
        }
        finally
        {
            await ReleaseAsync(lease);
        }
    }

    /// <summary>Stores every file of the archive in the content store (leased), remembering its path and digest.</summary>
    private async Task<ArchiveFiles> ReadArchiveAsync(Stream tar, Leases.Lease lease, CancellationToken cancellationToken)
    {
        var files = new ArchiveFiles();
        try
        {
            var reader = new LayerTarReader(tar);
            while (await reader.GetNextEntryAsync(cancellationToken) is { } entry)
            {
                var path = ArchiveFiles.Clean(entry.Name) ?? throw ImageException.Invalid($"invalid archive: entry {entry.Name} leaves the archive");
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        break;
                    case TarEntryType.RegularFile when entry.SparseMap is null:
                        files.AddFile(path, (await IngestAsync(entry.DataStream, "load", lease, cancellationToken)).Digest);
                        break;
                    case TarEntryType.RegularFile:
                        throw ImageException.Invalid($"invalid archive: entry {entry.Name} is a sparse file");
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        files.AddLink(path, entry.LinkName, symbolic: entry.EntryType == TarEntryType.SymbolicLink);
                        break;
                    default:
                        throw ImageException.Invalid($"invalid archive: entry {entry.Name} has unsupported type {entry.EntryType}");
                }
            }
        }
        catch (Exception e) when (LayerFormatException.IsFormatError(e))
        {
            throw ImageException.Invalid($"invalid archive: {LayerFormatException.Describe(e)}", e);
        }
        return files;
    }

    private async Task<List<(ImageRecord Image, List<ImageReference> Tags)>> ReadDockerArchiveAsync(
        ArchiveFiles files, Leases.Lease lease, CancellationToken cancellationToken)
    {
        var entries = await ImageJson.ReadAsync(content, files.Get("manifest.json"), ArchiveJsonContext.Default.ListDockerArchiveEntry, "manifest.json", cancellationToken);
        var images = new List<(ImageRecord, List<ImageReference>)>();
        foreach (var entry in entries)
        {
            if (entry.LayerSources is { Count: > 0 }) throw ImageException.Invalid("invalid archive: foreign layers (LayerSources) are not supported");
            var configDigest = files.Verified(entry.Config);
            var config = await ImageJson.ReadAsync(content, configDigest, OciJsonContext.Default.ImageConfig, entry.Config, cancellationToken);
            var configBytes = await content.ReadAllBytesAsync(configDigest, cancellationToken);
            var imageLayers = await CheckLayersAsync(config, entry.Layers.Select(path => (files.Verified(path), (string?)null, path)).ToList(), cancellationToken);
            var tags = (entry.RepoTags ?? []).Select(TagTarget).ToList();
            images.Add((await WriteImageAsync(configBytes, config, imageLayers, oci: false, lease, cancellationToken), tags));
        }
        return images;
    }

    private async Task<List<(ImageRecord Image, List<ImageReference> Tags)>> ReadOciLayoutAsync(ArchiveFiles files, CancellationToken cancellationToken)
    {
        var layoutIndex = await ImageJson.ReadAsync(content, files.Get("index.json"), OciJsonContext.Default.ImageIndex, "index.json", cancellationToken);
        var images = new List<(ImageRecord Image, List<ImageReference> Tags)>();
        foreach (var entry in layoutIndex.Manifests)
        {
            var descriptor = await PickManifestAsync(files, entry, 0, cancellationToken);
            var manifestDigest = await VerifiedBlobAsync(files, descriptor, cancellationToken);
            var manifest = await ImageJson.ReadAsync(content, manifestDigest, OciJsonContext.Default.ImageManifest, descriptor.Digest, cancellationToken);
            var configDigest = await VerifiedBlobAsync(files, manifest.Config, cancellationToken);
            var config = await ImageJson.ReadAsync(content, configDigest, OciJsonContext.Default.ImageConfig, manifest.Config.Digest, cancellationToken);
            var blobs = new List<(Digest, string?, string)>();
            foreach (var layer in manifest.Layers) blobs.Add((await VerifiedBlobAsync(files, layer, cancellationToken), layer.MediaType, layer.Digest));
            var image = Record(configDigest, manifestDigest, manifest.MediaType ?? descriptor.MediaType, config, await CheckLayersAsync(config, blobs, cancellationToken));
            var names = NamesOf(entry.Annotations);
            if (images.FindIndex(i => i.Image.Id == image.Id) is var known and >= 0) images[known].Tags.AddRange(names);
            else images.Add((image, names));
        }
        return images;
    }

    /// <summary>The image manifest an index entry stands for: itself, or in a (nested) index the one for this platform.</summary>
    private async Task<Descriptor> PickManifestAsync(ArchiveFiles files, Descriptor descriptor, int depth, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsIndex(descriptor.MediaType)) return descriptor;
        if (depth >= MaxIndexDepth) throw ImageException.Invalid("invalid archive: indexes nested too deep");
        var nested = await ImageJson.ReadAsync(content, await VerifiedBlobAsync(files, descriptor, cancellationToken), OciJsonContext.Default.ImageIndex, descriptor.Digest, cancellationToken);
        var pick = nested.Manifests.FirstOrDefault(m => m.Platform is { Os: "linux" } p && p.Architecture == Architecture)
            ?? nested.Manifests.FirstOrDefault(m => m.Platform is null || m.Platform.Os != "unknown")
            ?? throw ImageException.Invalid($"invalid archive: index {descriptor.Digest} has no image manifest");
        return await PickManifestAsync(files, pick, depth + 1, cancellationToken);
    }

    /// <summary>The blob a descriptor names, present in the layout under its digest, with the size it claims.</summary>
    private async Task<Digest> VerifiedBlobAsync(ArchiveFiles files, Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest)) throw ImageException.Invalid($"invalid archive: invalid digest \"{descriptor.Digest}\"");
        var blob = files.Blob(digest);
        var size = (await content.InfoAsync(blob, cancellationToken)).Size;
        if (size != descriptor.Size) throw ImageException.Invalid($"invalid archive: {digest} is {size} bytes, its descriptor says {descriptor.Size}");
        return blob;
    }

    /// <summary>Reads every layer through: each must be a safe tar whose diff id is the config's.</summary>
    private async Task<List<ImageLayer>> CheckLayersAsync(
        ImageConfig config, IReadOnlyList<(Digest Blob, string? MediaType, string Name)> blobs, CancellationToken cancellationToken)
    {
        var diffIds = config.Rootfs.DiffIds;
        if (diffIds.Count != blobs.Count)
            throw ImageException.Invalid($"invalid archive: the config lists {diffIds.Count} diff ids for {blobs.Count} layers");
        var checkedLayers = new List<ImageLayer>();
        for (var i = 0; i < blobs.Count; i++)
        {
            var (blob, mediaType, _) = blobs[i];
            await using var stream = await content.OpenReadAsync(blob, cancellationToken);
            mediaType ??= await LayerScanner.SniffMediaTypeAsync(stream, cancellationToken);
            var scan = await LayerScanner.ScanAsync(stream, null, cancellationToken);
            if (scan.DiffId.ToString() != diffIds[i])
                throw ImageException.Invalid($"invalid diffID for layer {i}: calculated {scan.DiffId}, expected {diffIds[i]}");
            checkedLayers.Add(new ImageLayer(blob, mediaType, stream.Length, scan.DiffId, scan.DiffId, scan.DiffSize));
        }
        return checkedLayers;
    }

    private static List<ImageReference> NamesOf(Dictionary<string, string>? annotations)
    {
        if (annotations is null) return [];
        if (annotations.TryGetValue(ContainerdNameAnnotation, out var full) && ImageReference.TryParse(full, out var named))
            return [Normal(named)];
        // A bare tag ("latest") names no repository; only a full reference is a name.
        if (annotations.TryGetValue(OciRefNameAnnotation, out var refName) && refName.AsSpan().IndexOfAny(':', '/') >= 0
            && ImageReference.TryParse(refName, out var reference))
            return [Normal(reference)];
        return [];

        static ImageReference Normal(ImageReference r) => r.Digest is { } d ? r.WithDigest(d) : r.WithDefaultTag();
    }
}
