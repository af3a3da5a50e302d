using Berth.Content;
using Berth.Distribution.Client;
using Berth.Images.Distribution;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>How many layers a push uploads at once (<c>max-concurrent-uploads</c>; Docker's default is 5).</summary>
    public int MaxConcurrentUploads { get; set; } = 5;

    /// <summary>
    /// <c>docker push</c>: uploads the image the reference names (<c>:latest</c> by default; with
    /// <see cref="PushOptions.AllTags"/>, every local tag of the repository, in order) to its registry: each layer blob
    /// as stored (skipped when the repository has it, mounted from another repository of the same registry that it was
    /// pulled from or pushed to, else uploaded), the config, then the manifest bytes exactly as stored, so the digest is
    /// the image's. Records the repo digest <c>name@sha256:…</c>.
    /// </summary>
    /// <returns>What was pushed: one per tag.</returns>
    /// <exception cref="ImageException">NotFound: no image has this reference (Docker's text); InvalidArgument: a bad reference.</exception>
    /// <exception cref="RegistryException">the registry refused (UNAUTHORIZED with status 401, DENIED, …).</exception>
    public async Task<IReadOnlyList<PushResult>> PushAsync(
        string reference, PushOptions? options = null, IProgress<PushProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new PushOptions();
        var named = ParseReference(reference);
        if (options.AllTags && (named.Tag is not null || named.Digest is not null)) throw ImageException.Invalid("tag can't be used with --all-tags/-a");
        var targets = new List<(ImageReference Named, ImageRecord Image)>();
        if (options.AllTags)
        {
            foreach (var (key, id) in (await index.ReferencesAsync(cancellationToken)).OrderBy(r => r.Key, StringComparer.Ordinal))
                if (ImageReference.TryParse(key, out var local) && local!.Tag is not null && local.Name == named.Name
                    && await index.GetAsync(id, cancellationToken) is { } tagged)
                    targets.Add((local, tagged));
        }
        else
        {
            named = named.Digest is null ? named.WithDefaultTag() : named;
            if (await TryResolveAsync(Key(named), cancellationToken) is { } image) targets.Add((named, image));
        }
        if (targets.Count == 0) throw new ImageException(ImageErrorKind.NotFound, $"An image does not exist locally with the tag: {named.FamiliarName}");
        var sink = new SerialProgress<PushProgress>(progress);
        sink.Report(new PushProgress(null, $"The push refers to repository [{named.Name}]"));
        var repository = Registry.Repository(named, options.Credentials, push: true);
        var sources = await MountSourcesAsync(named, cancellationToken);
        var results = new List<PushResult>();
        foreach (var (target, image) in targets) results.Add(await PushOneAsync(repository, target, image, sources, sink, cancellationToken));
        return results;
    }

    private async Task<PushResult> PushOneAsync(RegistryRepository repository, ImageReference named, ImageRecord image,
        Dictionary<Digest, IReadOnlyList<string>> sources, SerialProgress<PushProgress> sink, CancellationToken cancellationToken)
    {
        var manifestBytes = await content.ReadAllBytesAsync(image.ManifestDigest, cancellationToken);
        var manifest = ImageJson.Parse(manifestBytes, OciJsonContext.Default.ImageManifest, $"manifest {image.ManifestDigest}");

        foreach (var layer in image.Layers) sink.Report(new PushProgress(ShortId(layer.DiffId), "Preparing"));
        var concurrency = MaxConcurrentUploads;
        for (var i = concurrency; i < image.Layers.Count; i++) sink.Report(new PushProgress(ShortId(image.Layers[i].DiffId), "Waiting"));
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var uploads = image.Layers.Select(async layer =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                await PushLayerAsync(repository, layer, sources.GetValueOrDefault(layer.Blob) ?? [], sink, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(uploads);
        await PushBlobAsync(repository, image.Id, manifest.Config.Size, null, cancellationToken);

        var tag = named.Tag ?? named.Digest!.Value.ToString();
        var digest = await repository.PutManifestAsync(tag, image.ManifestMediaType, manifestBytes, cancellationToken);
        await GatedAsync(() => index.SetReferenceAsync(Key(named.WithDigest(digest)), image.Id, _time.GetUtcNow(), cancellationToken), cancellationToken);
        sink.Report(new PushProgress(null, $"{tag}: digest: {digest} size: {manifestBytes.Length}"));
        return new PushResult(tag, digest, manifestBytes.Length);
    }

    private async Task PushLayerAsync(RegistryRepository repository, ImageLayer layer, IReadOnlyList<string> mountFrom,
        SerialProgress<PushProgress> progress, CancellationToken cancellationToken)
    {
        var id = ShortId(layer.DiffId);
        if (await repository.BlobExistsAsync(layer.Blob, cancellationToken))
        {
            progress.Report(new PushProgress(id, "Layer already exists"));
            return;
        }
        foreach (var from in mountFrom)
        {
            if (!await repository.MountBlobAsync(layer.Blob, from, cancellationToken)) continue;
            progress.Report(new PushProgress(id, $"Mounted from {from}"));
            return;
        }
        await PushBlobAsync(repository, layer.Blob, layer.BlobSize, sent => progress.Report(new PushProgress(id, "Pushing", sent, layer.BlobSize)), cancellationToken);
        progress.Report(new PushProgress(id, "Pushed"));
    }

    /// <summary>Uploads a blob as stored, unless the repository has it.</summary>
    private async Task PushBlobAsync(RegistryRepository repository, Digest blob, long size, Action<long>? onProgress, CancellationToken cancellationToken)
    {
        if (onProgress is null && await repository.BlobExistsAsync(blob, cancellationToken)) return;
        await using var stream = await content.OpenReadAsync(blob, cancellationToken);
        await repository.UploadBlobAsync(blob, stream.Length, stream, onProgress, cancellationToken);
    }

    /// <summary>
    /// For each blob, the repositories of the same registry (paths) that hold it: those an image with the blob was pulled
    /// from or pushed to, as its repo digests (<c>name@sha256:…</c>) record.
    /// </summary>
    private async Task<Dictionary<Digest, IReadOnlyList<string>>> MountSourcesAsync(ImageReference target, CancellationToken cancellationToken)
    {
        var sources = new Dictionary<Digest, List<string>>();
        foreach (var (key, id) in await index.ReferencesAsync(cancellationToken))
        {
            if (!ImageReference.TryParse(key, out var reference) || reference.Digest is null
                || reference.Domain != target.Domain || reference.Path == target.Path
                || await index.GetAsync(id, cancellationToken) is not { } image)
                continue;
            foreach (var layer in image.Layers)
            {
                var list = sources.TryGetValue(layer.Blob, out var known) ? known : sources[layer.Blob] = [];
                if (!list.Contains(reference.Path)) list.Add(reference.Path);
            }
        }
        return sources.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.Value);
    }
}
