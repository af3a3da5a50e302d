using Berth.Content;
using Berth.Distribution.Client;
using Berth.Images.Distribution;
using Berth.Images.Layers;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>How many layers a pull fetches at once (<c>max-concurrent-downloads</c>; Docker's default is 3).</summary>
    public int MaxConcurrentDownloads { get; set; } = 3;

    private RegistryClient? _registry;

    /// <summary>The registry client pulls and pushes use (the engine sets it up with its mirrors and insecure registries).</summary>
    public RegistryClient Registry
    {
        get => LazyInitializer.EnsureInitialized(ref _registry, () => new RegistryClient());
        set => _registry = value;
    }

    /// <summary>
    /// <c>docker pull</c>: resolves the reference (<c>:latest</c> by default) on its registry, picks
    /// <see cref="PullOptions.Platform"/> from an index, fetches the config and the missing layers (three at a time,
    /// each verified, into ingests named by digest so an interrupted pull resumes), checks and unpacks the layers, and
    /// puts the image, its tag and its repo digest (<c>name@sha256:…</c>, the digest the registry resolved) in the index
    /// in one transaction. A by-digest pull sets no tag. An image already present downloads nothing.
    /// <para>
    /// Nothing is indexed until the end, so no failure leaves a partial image. A failed pull removes what it wrote; a
    /// cancelled one keeps its verified blobs and partial ingests in the content store (resumable by the next pull;
    /// unreferenced until then) and removes its unpacked snapshots.
    /// </para>
    /// </summary>
    /// <returns>The image pulled; with <see cref="PullOptions.AllTags"/>, one per tag.</returns>
    /// <exception cref="ImageException">NotFound: no such manifest, or none for the platform. InvalidArgument: a bad
    /// reference, or content that does not match its digests.</exception>
    /// <exception cref="RegistryException">the registry refused (UNAUTHORIZED with status 401, DENIED, …).</exception>
    public async Task<IReadOnlyList<ImageRecord>> PullAsync(
        string reference, PullOptions? options = null, IProgress<PullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new PullOptions();
        var named = ParseReference(reference);
        var platform = PlatformSpec.Parse(options.Platform);
        var sink = new SerialProgress<PullProgress>(progress);
        var repository = Registry.Repository(named, options.Credentials);
        if (!options.AllTags)
        {
            named = named.WithDefaultTag();
            var (image, updated) = await PullOneAsync(repository, named, platform, sink, cancellationToken);
            ReportStatus(sink, named.Familiar, updated);
            return [image];
        }
        if (named.Tag is not null || named.Digest is not null) throw ImageException.Invalid("tag can't be used with --all-tags/-a");
        var images = new List<ImageRecord>();
        var anyUpdated = false;
        foreach (var tag in await CallRegistryAsync(named, () => repository.ListTagsAsync(cancellationToken)))
        {
            var (image, updated) = await PullOneAsync(repository, named.WithTag(tag), platform, sink, cancellationToken);
            images.Add(image);
            anyUpdated |= updated;
        }
        ReportStatus(sink, named.FamiliarName, anyUpdated);
        return images;
    }

    private static void ReportStatus(SerialProgress<PullProgress> progress, string familiar, bool updated) =>
        progress.Report(new PullProgress(null, updated ? $"Status: Downloaded newer image for {familiar}" : $"Status: Image is up to date for {familiar}"));

    /// <summary>Pulls one tag or digest; <c>Updated</c> is false when the reference already named the image pulled.</summary>
    private async Task<(ImageRecord Image, bool Updated)> PullOneAsync(
        RegistryRepository repository, ImageReference named, PlatformSpec platform, SerialProgress<PullProgress> progress, CancellationToken cancellationToken)
    {
        var target = named.Digest?.ToString() ?? named.Tag!;
        // Resolved before the first report, as Docker: a missing image is then a plain 404, not an error mid-stream.
        var top = await CallRegistryAsync(named, () => repository.ResolveAsync(target, cancellationToken));
        progress.Report(new PullProgress(target, $"Pulling from {named.Path}"));
        var chosen = top;
        if (top.IsIndex)
        {
            var list = ImageJson.Parse(top.Bytes, OciJsonContext.Default.ImageIndex, $"manifest list {top.Digest}");
            var entry = platform.Pick(list.Manifests)
                ?? throw new ImageException(ImageErrorKind.NotFound, $"no matching manifest for {platform} in the manifest list entries");
            chosen = await CallRegistryAsync(named, () => repository.GetManifestAsync(ParseDigest(entry.Digest, "manifest"), cancellationToken));
            if (chosen.IsIndex) throw ImageException.Invalid($"manifest list {top.Digest} names another list for {platform}");
        }
        var manifest = ImageJson.Parse(chosen.Bytes, OciJsonContext.Default.ImageManifest, $"manifest {chosen.Digest}");
        var configDigest = ParseDigest(manifest.Config.Digest, "config");
        var references = named.Digest is null
            ? new[] { Key(named), Key(named.WithDigest(top.Digest)) }
            : [Key(named.WithDigest(top.Digest))];
        var before = await index.ResolveAsync(references[0], cancellationToken);

        var lease = _leases.Open();
        var chains = new List<Digest>();
        ImageRecord image;
        try
        {
            image = await index.GetAsync(configDigest, cancellationToken)
                ?? await DownloadAsync(repository, manifest, chosen, configDigest, lease, chains, progress, cancellationToken);
            image = await CommitAsync(image, references, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // interrupted: verified blobs and partial ingests stay for the next pull; unpacked snapshots go
            lease.Dispose();
            chains.Reverse();
            await GatedAsync(() => CollectLockedAsync([], chains, CancellationToken.None), CancellationToken.None);
            throw;
        }
        catch
        {
            await AbortPullIngestsAsync(lease.Digests);
            await ReleaseAsync(lease);
            throw;
        }
        await ReleaseAsync(lease); // everything held is the image's now: this only ends the lease
        progress.Report(new PullProgress(null, $"Digest: {top.Digest}"));
        return (image, before != image.Id);
    }

    /// <summary>Fetches, checks and unpacks what the image needs, holding it in <paramref name="lease"/>; returns the record to index.</summary>
    private async Task<ImageRecord> DownloadAsync(RegistryRepository repository, ImageManifest manifest, RemoteManifest source, Digest configDigest,
        Leases.Lease lease, List<Digest> chains, SerialProgress<PullProgress> progress, CancellationToken cancellationToken)
    {
        await FetchBlobAsync(repository, configDigest, manifest.Config.Size, lease, null, cancellationToken);
        var config = await ImageJson.ReadAsync(content, configDigest, OciJsonContext.Default.ImageConfig, $"image config {configDigest}", cancellationToken);
        if (config.Rootfs.DiffIds.Count != manifest.Layers.Count)
            throw ImageException.Invalid($"the config lists {config.Rootfs.DiffIds.Count} diff ids for {manifest.Layers.Count} layers");
        var blobs = manifest.Layers.Select(l => (CheckedLayerBlob(l), l.Size)).ToList();
        var chainIds = ChainIds.Compute(config.Rootfs.DiffIds.Select(d => ParseDigest(d, "diff id")));
        chains.AddRange(chainIds);
        foreach (var (blob, _) in blobs) lease.Hold(blob);
        await using var downloads = await LayerDownloads.StartAsync(blobs, blob => content.ExistsAsync(blob, cancellationToken),
            (blob, size, onProgress, token) => FetchBlobAsync(repository, blob, size, lease, onProgress, token), progress, MaxConcurrentDownloads, cancellationToken);
        var layers = new List<ImageLayer>();
        for (var i = 0; i < blobs.Count; i++)
        {
            var blob = blobs[i].Item1;
            await downloads.WaitAsync(i);
            lease.Hold(chainIds[i]);
            var layer = await UnpackLayerAsync(manifest.Layers[i], blob, config.Rootfs.DiffIds[i], chainIds[i], i == 0 ? null : chainIds[i - 1], i,
                downloads.IsNew(i) ? progress : null, cancellationToken);
            if (downloads.IsNew(i)) progress.Report(new PullProgress(ShortId(blob), "Pull complete"));
            layers.Add(layer);
        }
        var manifestDigest = await PutBytesAsync(source.Bytes, lease, cancellationToken);
        return Record(configDigest, manifestDigest, manifest.MediaType ?? source.MediaType, config, layers);
    }

    /// <summary>A layer's blob digest, refusing what is not a layer this store can unpack (foreign layers, artifacts).</summary>
    private static Digest CheckedLayerBlob(Descriptor layer) => layer.MediaType switch
    {
        ImageMediaTypes.DockerLayer or MediaTypes.DockerLayerGzip or MediaTypes.OciLayer or MediaTypes.OciLayerGzip or MediaTypes.OciLayerZstd
            => ParseDigest(layer.Digest, "layer"),
        _ => throw ImageException.Invalid($"unsupported layer media type \"{layer.MediaType}\" ({layer.Digest})"),
    };

    /// <summary>
    /// Unpacks a downloaded layer into the snapshot of its chain while reading it through (reported as
    /// <c>Extracting</c>): it must be a safe tar whose diff id is the config's, or the snapshot is removed. When the
    /// chain's snapshot already exists, the blob is only read through.
    /// </summary>
    private async Task<ImageLayer> UnpackLayerAsync(Descriptor descriptor, Digest blob, string diffId, Digest chainId, Digest? parent, int position,
        SerialProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        (LayerScan Scan, long BlobSize)? read = null;
        await CreateSnapshotAsync(chainId, parent, async (active, token) =>
        {
            read = await ReadLayerAsync(blob, progress, layer => LayerScanner.ScanWhileAsync(layer, (tar, t) => layers.ApplyLayerAsync(active, tar, t), token), token);
            CheckDiffId(read.Value.Scan, diffId, position);
        }, blob, cancellationToken);
        if (read is null)
        {
            read = await ReadLayerAsync(blob, progress, layer => LayerScanner.ScanAsync(layer, null, cancellationToken), cancellationToken);
            CheckDiffId(read.Value.Scan, diffId, position);
        }
        var (scan, size) = read.Value;
        return new ImageLayer(blob, descriptor.MediaType, size, scan.DiffId, chainId, scan.DiffSize);
    }

    private async Task<(LayerScan Scan, long BlobSize)> ReadLayerAsync(Digest blob, SerialProgress<PullProgress>? progress,
        Func<Stream, Task<LayerScan>> read, CancellationToken cancellationToken)
    {
        await using var stream = await content.OpenReadAsync(blob, cancellationToken);
        var size = stream.Length;
        Action<long>? reporter = progress is null ? null : done => progress.Report(new PullProgress(ShortId(blob), "Extracting", done, size));
        await using var counted = new ProgressStream(stream, reporter);
        return (await read(counted), size);
    }

    private static void CheckDiffId(LayerScan scan, string diffId, int position)
    {
        if (scan.DiffId.ToString() != diffId)
            throw ImageException.Invalid($"invalid diffID for layer {position}: calculated {scan.DiffId}, expected {diffId}");
    }

    /// <summary>
    /// Makes the blob present: already committed, or fetched into the ingest <c>pull-&lt;digest&gt;</c> (resumed from
    /// its offset when an earlier pull was interrupted) and committed, verified by digest and size. Held by the lease.
    /// </summary>
    private async Task FetchBlobAsync(RegistryRepository repository, Digest digest, long size, Leases.Lease lease,
        Action<long>? onProgress, CancellationToken cancellationToken)
    {
        lease.Hold(digest);
        using var blobLock = await _chainLocks.LockAsync(PullIngest(digest), cancellationToken);
        if (await content.ExistsAsync(digest, cancellationToken)) return;
        IContentWriter writer;
        try
        {
            writer = await content.OpenWriterAsync(PullIngest(digest), digest, size, cancellationToken);
        }
        catch (ContentAlreadyExistsException)
        {
            return;
        }
        try
        {
            await using (writer)
            {
                var offset = writer.Status.Offset;
                await using var body = await CallRegistryAsync(repository.Name, () => repository.FetchBlobAsync(digest, size, offset, cancellationToken));
                await CopyAsync(body, writer, offset, onProgress, cancellationToken);
                await writer.CommitAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or DigestMismatchException or SizeMismatchException)
        {
            await AbortIngestAsync(PullIngest(digest)); // known bad bytes: the next pull starts over
            throw ImageException.Invalid($"filesystem layer verification failed for digest {digest}: {e.Message}", e);
        }
    }

    private static async Task CopyAsync(Stream body, IContentWriter writer, long offset, Action<long>? onProgress, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            // whole buffers: a socket read gives a few KiB, and each write is a syscall (and a progress report)
            while ((read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                offset += read;
                onProgress?.Invoke(offset);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task AbortPullIngestsAsync(IEnumerable<Digest> digests)
    {
        foreach (var digest in digests)
        {
            try
            {
                await AbortIngestAsync(PullIngest(digest));
            }
            catch (IngestLockedException)
            {
                // another pull of the same blob is writing it
            }
        }
    }

    private static string PullIngest(Digest digest) => $"pull-{digest}";

    private static string ShortId(Digest digest) => digest.Encoded[..12];

    private static Digest ParseDigest(string value, string what) =>
        Digest.TryParse(value, out var digest) ? digest : throw ImageException.Invalid($"invalid {what} digest \"{value}\"");

    /// <summary>
    /// A registry call, its failures in the store's terms: a missing manifest is Docker's NotFound text, content that does
    /// not verify is InvalidArgument; everything else the registry said stays a <see cref="RegistryException"/>.
    /// </summary>
    private static async Task<T> CallRegistryAsync<T>(ImageReference named, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RegistryException e) when (e.Code is "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or "NOT_FOUND")
        {
            throw new ImageException(ImageErrorKind.NotFound, $"manifest for {named.Familiar} not found: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw ImageException.Invalid(e.Message, e);
        }
    }
}
