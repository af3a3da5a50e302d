using System.Collections.Concurrent;
using System.Globalization;
using Berth.Content;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Snapshots;

namespace Berth.Images;

/// <summary>
/// The image store the engine calls: images as content-addressed blobs (manifest, config, layers) in an
/// <see cref="IContentStore"/>, their layers unpacked into committed snapshots named by chain id, and their records and
/// references in an <see cref="IImageIndex"/>.
/// <para>
/// Writers (import, load) ingest and unpack outside any lock, holding a lease on what they wrote, then put the image in
/// the index in one transaction; on failure they remove what they wrote that no image needs. Index changes and garbage
/// collection (delete, prune, a failed writer's cleanup) run one at a time under the store's gate, and never take what
/// a lease holds. So no crash or failure leaves a half-visible image, and shared layers stay while any image needs them.
/// </para>
/// </summary>
public sealed partial class ImageStore(
    IContentStore content, ISnapshotter snapshotter, ISnapshotLayers layers, IImageIndex index, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Leases _leases = new();
    private readonly KeyedLock _chainLocks = new();
    private readonly ConcurrentDictionary<Digest, ImageConfig> _configs = new();

    /// <summary>
    /// The image named by <paramref name="nameOrId"/>: a full id (<c>sha256:&lt;64 hex&gt;</c> or the 64 hex alone), a
    /// reference (<c>busybox</c> ≡ <c>busybox:latest</c> ≡ <c>docker.io/library/busybox:latest</c>; with a digest, by the
    /// digest), or a unique prefix of an id (with or without <c>sha256:</c>), tried in that order as Docker does.
    /// </summary>
    /// <exception cref="ImageException">NotFound (<c>No such image: …</c>), or InvalidArgument for a malformed reference.</exception>
    public async Task<ImageRecord> ResolveAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        await TryResolveAsync(nameOrId, cancellationToken) ?? throw ImageException.NotFound(nameOrId);

    /// <summary>As <see cref="ResolveAsync"/>, null when nothing matches.</summary>
    public async Task<ImageRecord?> TryResolveAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        if (IsFullId(nameOrId, out var id)) return await index.GetAsync(id, cancellationToken);
        var reference = ParseReference(nameOrId);
        if (await index.ResolveAsync(Key(reference), cancellationToken) is { } named
            && await index.GetAsync(named, cancellationToken) is { } image)
            return image;
        var prefix = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId["sha256:".Length..] : nameOrId;
        if (prefix.Length == 0 || !prefix.All(char.IsAsciiHexDigitLower)) return null;
        var matches = (await index.ListAsync(cancellationToken)).Where(i => i.Id.Encoded.StartsWith(prefix, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null; // an ambiguous prefix names no image, as in Docker
    }

    /// <summary>Every image, newest first.</summary>
    public async Task<IReadOnlyList<ImageSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var references = await ReferencesByImageAsync(cancellationToken);
        var images = await index.ListAsync(cancellationToken);
        var parents = await ParentsAsync(images, cancellationToken);
        var withChildren = parents.Values.ToHashSet();
        var summaries = new List<ImageSummary>();
        foreach (var image in images)
        {
            var config = await ReadConfigAsync(image.Id, cancellationToken);
            var (tags, digests) = Familiar(references.GetValueOrDefault(image.Id));
            summaries.Add(new ImageSummary(image.Id, tags, digests, image.Created, image.Size,
                config.Config?.Labels ?? new Dictionary<string, string>(), parents.GetValueOrDefault(image.Id), withChildren.Contains(image.Id)));
        }
        return [.. summaries.OrderByDescending(s => s.Created).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal)];
    }

    /// <exception cref="ImageException">NotFound or InvalidArgument, as <see cref="ResolveAsync"/>.</exception>
    public async Task<ImageDetails> InspectAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var image = await ResolveAsync(nameOrId, cancellationToken);
        var config = await ReadConfigAsync(image.Id, cancellationToken);
        var (tags, digests) = Familiar((await ReferencesByImageAsync(cancellationToken)).GetValueOrDefault(image.Id));
        return new ImageDetails(image, config, tags, digests);
    }

    /// <summary>The image's history from its config, newest first; each non-empty step has its layer's size.</summary>
    public async Task<IReadOnlyList<ImageHistoryItem>> HistoryAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var details = await InspectAsync(nameOrId, cancellationToken);
        var layers = details.Record.Layers;
        var items = new List<ImageHistoryItem>();
        var layer = 0;
        foreach (var entry in details.History)
        {
            var empty = entry.EmptyLayer == true;
            var size = !empty && layer < layers.Count ? layers[layer++].DiffSize : 0;
            items.Add(new ImageHistoryItem("<missing>", ParseTime(entry.Created), entry.CreatedBy ?? "", [], size, entry.Comment ?? "", empty));
        }
        for (; layer < layers.Count; layer++) // layers the history does not describe
            items.Add(new ImageHistoryItem("<missing>", null, "", [], layers[layer].DiffSize, "", false));
        items.Reverse();
        if (items.Count > 0) items[0] = items[0] with { Id = details.Id.ToString(), Tags = details.RepoTags };
        return items;
    }

    /// <summary>The image's config, parsed (cached: a config never changes under its digest).</summary>
    public async Task<ImageConfig> ReadConfigAsync(Digest id, CancellationToken cancellationToken = default)
    {
        if (_configs.TryGetValue(id, out var cached)) return cached;
        var config = await ImageJson.ReadAsync(content, id, OciJsonContext.Default.ImageConfig, $"image config {id}", cancellationToken);
        return _configs.GetOrAdd(id, config);
    }

    /// <summary>Each image's parent (commit and build make them), for the images that have one in the index.</summary>
    private async Task<Dictionary<Digest, Digest>> ParentsAsync(IReadOnlyList<ImageRecord> images, CancellationToken cancellationToken)
    {
        var known = images.Select(i => i.Id).ToHashSet();
        var parents = new Dictionary<Digest, Digest>();
        foreach (var image in images)
        {
            if ((await ReadConfigAsync(image.Id, cancellationToken)).Parent is { } text && Digest.TryParse(text, out var parent) && known.Contains(parent))
                parents[image.Id] = parent;
        }
        return parents;
    }

    /// <summary>The key an index stores a reference under: <c>name@digest</c> when it has a digest, else <c>name:tag</c> (default latest).</summary>
    internal static string Key(ImageReference reference) =>
        reference.Digest is { } digest ? reference.WithDigest(digest).ToString() : reference.WithDefaultTag().ToString();

    internal static ImageReference ParseReference(string value)
    {
        try
        {
            return ImageReference.Parse(value);
        }
        catch (ImageReferenceException e)
        {
            throw ImageException.Invalid(e.Message, e);
        }
    }

    private static bool IsFullId(string value, out Digest id)
    {
        id = default;
        if (value.Length == 64 && value.All(char.IsAsciiHexDigitLower)) value = "sha256:" + value;
        return value.StartsWith("sha256:", StringComparison.Ordinal) && Digest.TryParse(value, out id);
    }

    private async Task<Dictionary<Digest, List<ImageReference>>> ReferencesByImageAsync(CancellationToken cancellationToken)
    {
        var byImage = new Dictionary<Digest, List<ImageReference>>();
        foreach (var (key, id) in await index.ReferencesAsync(cancellationToken))
        {
            if (!ImageReference.TryParse(key, out var reference)) continue;
            (byImage.TryGetValue(id, out var list) ? list : byImage[id] = []).Add(reference);
        }
        return byImage;
    }

    private static (IReadOnlyList<string> Tags, IReadOnlyList<string> Digests) Familiar(List<ImageReference>? references) =>
        references is null
            ? ([], [])
            : ([.. references.Where(r => r.Digest is null).Select(r => r.Familiar).Order(StringComparer.Ordinal)],
               [.. references.Where(r => r.Digest is not null).Select(r => r.Familiar).Order(StringComparer.Ordinal)]);

    /// <summary>An RFC 3339 time; Go writes nanoseconds, .NET keeps ticks: digits past the seventh are cut, not rounded.</summary>
    internal static DateTimeOffset? ParseTime(string? value)
    {
        if (value is null) return null;
        var dot = value.IndexOf('.', value.IndexOf('T') + 1);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < value.Length && char.IsAsciiDigit(value[end])) end++;
            if (end - dot - 1 > 7) value = value[..(dot + 8)] + value[end..];
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }

    /// <summary>Go's RFC 3339 with nanoseconds, trailing zeros trimmed, as Docker writes <c>created</c>.</summary>
    internal static string FormatTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = utc.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    private async Task<T> GatedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }
}
