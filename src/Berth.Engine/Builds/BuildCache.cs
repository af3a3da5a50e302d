using Berth.Build;
using Berth.Engine.Images;
using Berth.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// The legacy builder's cache: a step's result is an image whose parent is the step's parent image, whose config is
/// the step's result config and whose <c>container_config</c> (its <c>Cmd</c> says what the step did) is the step's.
/// Nothing else is stored: the images are the cache, so it lasts as long as they do. The images are listed once per
/// build: a step that missed has a new parent, which no other image can have yet.
/// <para>
/// With <c>--cache-from</c> images, moby's rules: a local step image counts only when one of those images descends
/// from it; otherwise a step matches the next entry of a source's history (same history and layers so far, the same
/// <c>created_by</c>), and is restored as a new image of that entry and its layer on the step's parent, or is the source
/// itself when that entry is its last. Sources that do not exist are skipped, so no local image is used then.
/// </para>
/// </summary>
internal sealed class BuildCache(ImageService images, IReadOnlyList<string> cacheFrom)
{
    private readonly SemaphoreSlim _lock = new(1, 1); // stages probe at once; the sources narrow as steps restore
    private ILookup<string, ImageView>? _children;
    private List<Source>? _sources;

    /// <summary>A <c>--cache-from</c> image with its config.</summary>
    private sealed record Source(ImageRecord Record, ImageConfig Config)
    {
        public IReadOnlyList<HistoryEntry> History => Config.History ?? [];
    }

    /// <returns>The matching image's id, or null.</returns>
    public async Task<string?> FindAsync(string? parentId, ImageRuntimeConfig config, ImageRuntimeConfig containerConfig, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var local = await LocalAsync(parentId, config, containerConfig, cancellationToken);
            if (cacheFrom.Count == 0) return local;
            _sources ??= await SourcesAsync(cancellationToken);
            if (local is not null && await DescendsFromAnySourceAsync(local, cancellationToken)) return local;
            return await FromHistoryAsync(parentId, config, containerConfig, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The newest child of the parent made by the same step.</summary>
    private async Task<string?> LocalAsync(string? parentId, ImageRuntimeConfig config, ImageRuntimeConfig containerConfig, CancellationToken cancellationToken)
    {
        _children ??= (await images.ListAsync(cancellationToken)).ToLookup(i => i.ParentId ?? "");
        var configKey = ConfigKey.Of(config);
        var stepKey = ConfigKey.Of(containerConfig);
        foreach (var image in _children[parentId ?? ""].OrderByDescending(i => i.Created))
        {
            var stored = await images.Store.ReadConfigAsync(Digest.Parse(image.Id), cancellationToken);
            if (stored.ContainerConfig is not null && ConfigKey.Of(stored.ContainerConfig) == stepKey && ConfigKey.Of(stored.Config) == configKey)
                return image.Id;
        }
        return null;
    }

    private async Task<List<Source>> SourcesAsync(CancellationToken cancellationToken)
    {
        var sources = new List<Source>();
        foreach (var reference in cacheFrom)
        {
            try
            {
                if (await images.Store.TryResolveAsync(reference, cancellationToken) is { } record)
                    sources.Add(new Source(record, await images.Store.ReadConfigAsync(record.Id, cancellationToken)));
            }
            catch (ImageException)
            {
                // a malformed reference: skipped, as moby skips what it cannot look up
            }
        }
        return sources;
    }

    /// <summary>Whether <paramref name="imageId"/> is a (local) ancestor of a source, through the <c>parent</c> links.</summary>
    private async Task<bool> DescendsFromAnySourceAsync(string imageId, CancellationToken cancellationToken)
    {
        foreach (var source in _sources!)
        {
            for (var parent = source.Config.Parent; parent is not null;)
            {
                if (parent == imageId) return true;
                if (await images.Store.TryResolveAsync(parent, cancellationToken) is not { } record) break;
                parent = (await images.Store.ReadConfigAsync(record.Id, cancellationToken)).Parent;
            }
        }
        return false;
    }

    private async Task<string?> FromHistoryAsync(string? parentId, ImageRuntimeConfig config, ImageRuntimeConfig containerConfig, CancellationToken cancellationToken)
    {
        var parent = parentId is null ? null : await images.Store.ResolveAsync(parentId, cancellationToken);
        var parentConfig = parent is null ? null : await images.Store.ReadConfigAsync(parent.Id, cancellationToken);
        var at = parentConfig?.History?.Count ?? 0;
        var createdBy = string.Join(' ', containerConfig.Cmd ?? []);
        foreach (var source in _sources!)
        {
            if (!ContinuesFrom(source, parentConfig) || source.History[at].CreatedBy != createdBy) continue;
            if (source.History.Count - 1 == at) return source.Record.Id.ToString();
            var layer = LayerOf(source, at);
            if (layer is null && source.History[at].EmptyLayer != true) continue; // a history with more layers than the image has
            var restored = await images.Store.CommitImageAsync(new ImageCommit
            {
                Parent = parent,
                Config = config,
                ContainerConfig = containerConfig,
                Layer = layer,
                History = source.History[at],
                Author = source.Config.Author,
            }, cancellationToken);
            _sources = [source]; // moby's choice: once restored from one source, keep to it
            return restored.Id.ToString();
        }
        return null;
    }

    /// <summary>Whether the source's history and layers start with the parent's (moby's <c>isValidParent</c>).</summary>
    private static bool ContinuesFrom(Source source, ImageConfig? parent)
    {
        if (source.History.Count == 0) return false;
        if (parent is null || (parent.History is not { Count: > 0 } && parent.Rootfs.DiffIds.Count == 0)) return true;
        var history = parent.History ?? [];
        var diffIds = parent.Rootfs.DiffIds;
        var sourceDiffIds = source.Config.Rootfs.DiffIds;
        if (history.Count >= source.History.Count || diffIds.Count > sourceDiffIds.Count) return false;
        return history.Select((h, i) => SameEntry(h, source.History[i])).All(same => same) && diffIds.SequenceEqual(sourceDiffIds.Take(diffIds.Count));
    }

    private static bool SameEntry(HistoryEntry a, HistoryEntry b) =>
        a.Created == b.Created && a.CreatedBy == b.CreatedBy && a.Author == b.Author && a.Comment == b.Comment && a.EmptyLayer == b.EmptyLayer;

    /// <summary>The layer the source's history entry <paramref name="at"/> made; null for an entry without one, or when the image lacks it.</summary>
    private static ImageLayer? LayerOf(Source source, int at)
    {
        if (source.History[at].EmptyLayer == true) return null;
        var index = source.History.Take(at).Count(h => h.EmptyLayer != true);
        return index < source.Record.Layers.Count ? source.Record.Layers[index] : null;
    }
}
