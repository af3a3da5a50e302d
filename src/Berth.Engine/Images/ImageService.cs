using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Distribution.Client;
using Berth.Images;
using Berth.Oci.Image;
using Berth.Snapshots;

namespace Berth.Engine.Images;

/// <summary>How the daemon reaches registries, as <c>info</c> reports it.</summary>
public sealed record RegistrySettings(IReadOnlyList<string> Mirrors, IReadOnlyList<string> InsecureRegistries);

/// <summary>
/// The engine's face of the image store: Docker's error kinds and events around <see cref="ImageStore"/>, and the
/// containers' root filesystems (a writable snapshot over the image, mounted while the container runs).
/// </summary>
public sealed class ImageService(ImageStore store, ISnapshotter snapshotter, ISnapshotLayers layers, EventService events) : IContainerImages
{
    /// <summary>The store itself, for the engine's own services (image removal); callers outside the engine use the views.</summary>
    internal ImageStore Store => store;

    public async Task<ResolvedImage> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        var image = await Call(() => store.ResolveAsync(reference, cancellationToken));
        var config = await store.ReadConfigAsync(image.Id, cancellationToken);
        return new ResolvedImage(image.Id.ToString(), config.Config);
    }

    public async Task MountRootAsync(string imageId, string key, string target, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SnapshotMount> mounts;
        try
        {
            mounts = await snapshotter.MountsAsync(key, cancellationToken);
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.NotFound)
        {
            var image = await Call(() => store.ResolveAsync(imageId, cancellationToken));
            mounts = await store.PrepareContainerRootAsync(image, key, cancellationToken);
        }
        RootfsMounts.Unmount(target);
        RootfsMounts.Mount(mounts, target);
    }

    /// <summary>
    /// A new writable layer <paramref name="key"/> on the image (null: on nothing, <c>FROM scratch</c>), mounted at
    /// <paramref name="target"/>: what a build step writes into. Release it with <see cref="UnmountRootAsync"/>, or consume it by a commit.
    /// </summary>
    public async Task MountNewLayerAsync(string? imageId, string key, string target, CancellationToken cancellationToken = default)
    {
        var mounts = imageId is null
            ? await snapshotter.PrepareAsync(key, null, cancellationToken)
            : await store.PrepareContainerRootAsync(await Call(() => store.ResolveAsync(imageId, cancellationToken)), key, cancellationToken);
        try
        {
            Directory.CreateDirectory(target);
            RootfsMounts.Mount(mounts, target);
        }
        catch
        {
            await UnmountRootAsync(key, target, removeLayer: true, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Removes the writable layers whose keys start with <paramref name="prefix"/> (what a killed daemon's builds left);
    /// called at start, before the garbage collection that then frees the layers below them.
    /// </summary>
    public async Task RemoveLayersAsync(string prefix, CancellationToken cancellationToken = default)
    {
        foreach (var layer in await snapshotter.WalkAsync(cancellationToken))
            if (layer.Kind == SnapshotKind.Active && layer.Name.StartsWith(prefix, StringComparison.Ordinal))
                await store.RemoveContainerRootAsync(layer.Name, cancellationToken);
    }

    public async Task UnmountRootAsync(string key, string target, bool removeLayer, CancellationToken cancellationToken = default)
    {
        RootfsMounts.Unmount(target);
        if (removeLayer) await store.RemoveContainerRootAsync(key, cancellationToken);
    }

    public async Task<string> CommitAsync(ImageCommitSpec spec, CancellationToken cancellationToken = default)
    {
        var parent = spec.ParentImageId is null ? null : await Call(() => store.ResolveAsync(spec.ParentImageId, cancellationToken));
        if (spec.LayerKey is { } key && !spec.ConsumeLayer && parent is not null && !await HasSnapshotAsync(key, cancellationToken))
            await store.PrepareContainerRootAsync(parent, key, cancellationToken); // a container never started: its (empty) layer now
        var image = await Call(() => store.CommitImageAsync(new ImageCommit
        {
            Parent = parent,
            Config = spec.Config,
            SnapshotKey = spec.LayerKey,
            ConsumeSnapshot = spec.ConsumeLayer,
            ContainerConfig = spec.ContainerConfig,
            Container = spec.ContainerId,
            CreatedBy = spec.CreatedBy,
            Comment = spec.Comment,
            Author = spec.Author,
            References = spec.References,
        }, cancellationToken));
        foreach (var reference in spec.References)
            events.Publish("image", "tag", image.Id.ToString(), new Dictionary<string, string> { ["name"] = reference });
        return image.Id.ToString();
    }

    private async Task<bool> HasSnapshotAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await snapshotter.StatAsync(key, cancellationToken);
            return true;
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.NotFound)
        {
            return false;
        }
    }

    public async Task<long> WritableLayerSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await snapshotter.UsageAsync(key, cancellationToken)).Size;
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.NotFound)
        {
            return 0;
        }
    }

    public Task<IReadOnlyList<Snapshots.Layers.FileChange>> ChangesAsync(string key, IReadOnlySet<string> hidden, CancellationToken cancellationToken = default) =>
        layers.ChangesAsync(key, hidden, cancellationToken);

    /// <summary>Bytes of every unpacked layer, each counted once however many images share it.</summary>
    public async Task<long> LayersSizeAsync(CancellationToken cancellationToken = default)
    {
        var layers = new Dictionary<Digest, long>();
        foreach (var summary in await store.ListAsync(cancellationToken))
        {
            var image = await store.ResolveAsync(summary.Id.ToString(), cancellationToken);
            foreach (var layer in image.Layers) layers[layer.ChainId] = layer.DiffSize;
        }
        return layers.Values.Sum();
    }

    /// <summary>The image's unpacked size; 0 for an image that is gone (a container may outlive a forced rmi).</summary>
    public async Task<long> SizeOfAsync(string imageId, CancellationToken cancellationToken = default) =>
        (await store.TryResolveAsync(imageId, cancellationToken))?.Size ?? 0;

    public async Task<IReadOnlyList<ImageView>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await store.ListAsync(cancellationToken)).Select(i => i.ToView())];

    /// <summary>
    /// The images Docker's list <paramref name="filters"/> select (<c>dangling</c>, <c>label</c>, <c>reference</c>…);
    /// intermediate images (a build's steps) only with <paramref name="all"/>.
    /// </summary>
    public async Task<IReadOnlyList<ImageView>> ListAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, bool all = false, CancellationToken cancellationToken = default) =>
        new ImageListFilter(filters).Apply([.. (await ListAsync(cancellationToken)).Where(i => all || !i.IsIntermediate)]);

    public async Task<ImageDetailsView> InspectAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        (await Call(() => store.InspectAsync(nameOrId, cancellationToken))).ToView();

    public async Task<IReadOnlyList<ImageHistoryView>> HistoryAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        [.. (await Call(() => store.HistoryAsync(nameOrId, cancellationToken))).Select(h => h.ToView())];

    public async Task TagAsync(string source, string target, CancellationToken cancellationToken = default)
    {
        var image = await Call(() => store.ResolveAsync(source, cancellationToken));
        var reference = await Call(() => store.TagAsync(source, target, cancellationToken));
        events.Publish("image", "tag", image.Id.ToString(), new Dictionary<string, string> { ["name"] = reference.ToString() });
    }

    /// <summary>Makes an image of the root filesystem tar <paramref name="rootfs"/>; returns its id.</summary>
    public async Task<string> ImportAsync(Stream rootfs, ImportSpec spec, CancellationToken cancellationToken = default)
    {
        var image = await Call(() => store.ImportAsync(rootfs, spec.ToOptions(), cancellationToken));
        events.Publish("image", "import", image.Id.ToString(), new Dictionary<string, string> { ["name"] = image.Id.ToString() });
        return image.Id.ToString();
    }

    public async Task<IReadOnlyList<LoadedImageView>> LoadAsync(Stream archive, CancellationToken cancellationToken = default)
    {
        var loaded = await Call(() => store.LoadAsync(archive, cancellationToken));
        foreach (var image in loaded)
            events.Publish("image", "load", image.Image.Id.ToString(), new Dictionary<string, string> { ["name"] = image.Image.Id.ToString() });
        return [.. loaded.Select(l => l.ToView())];
    }

    /// <summary>Resolves every name first (a 404 before any byte), then writes the archive.</summary>
    public async Task<Func<Stream, Task>> PrepareSaveAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var images = new List<ImageRecord>();
        foreach (var name in names) images.Add(await Call(() => store.ResolveAsync(name, cancellationToken)));
        return async output =>
        {
            await Call(async () => { await store.SaveAsync(names, output, cancellationToken); return 0; });
            foreach (var image in images)
                events.Publish("image", "save", image.Id.ToString(), new Dictionary<string, string> { ["name"] = image.Id.ToString() });
        };
    }

    /// <summary>Docker's pull: registry refusals become Docker's <c>pull access denied</c> (404, so clients say so) or a 500.</summary>
    /// <returns>The ids of the images pulled: one, or with <see cref="PullSpec.AllTags"/> one per tag.</returns>
    public async Task<IReadOnlyList<string>> PullAsync(
        string reference, PullSpec spec, IProgress<PullProgressEvent> progress, CancellationToken cancellationToken = default)
    {
        try
        {
            var reports = progress.Mapped((PullProgress p) => new PullProgressEvent(p.Id, p.Status, p.Current, p.Total));
            var images = await Call(() => store.PullAsync(reference, spec.ToOptions(), reports, cancellationToken));
            foreach (var image in images)
                events.Publish("image", "pull", reference, new Dictionary<string, string> { ["name"] = reference });
            return [.. images.Select(i => i.Id.ToString())];
        }
        catch (RegistryException e) when (e.IsUnauthorized || e.IsNotFound || e.Status == 403)
        {
            var name = ImageReference.TryParse(reference, out var parsed) ? parsed!.FamiliarName : reference;
            throw new EngineException(ErrorKind.NotFound,
                $"pull access denied for {name}, repository does not exist or may require 'docker login': {e.Message}", e);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException or InvalidDataException)
        {
            throw new EngineException(ErrorKind.System, e.Message, e);
        }
    }

    /// <returns>What each tag pushed left on the registry.</returns>
    public async Task<IReadOnlyList<PushedImage>> PushAsync(
        string reference, PushSpec spec, IProgress<PushProgressEvent> progress, CancellationToken cancellationToken = default)
    {
        try
        {
            var reports = progress.Mapped((PushProgress p) => new PushProgressEvent(p.Id, p.Status, p.Current, p.Total));
            var result = await Call(() => store.PushAsync(reference, spec.ToOptions(), reports, cancellationToken));
            events.Publish("image", "push", reference, new Dictionary<string, string> { ["name"] = reference });
            return [.. result.Select(r => r.ToView())];
        }
        catch (RegistryException e) when (e.IsUnauthorized || e.Status == 403)
        {
            throw new EngineException(ErrorKind.Unauthorized, e.Message, e);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException or InvalidDataException)
        {
            throw new EngineException(ErrorKind.System, e.Message, e);
        }
    }

    /// <summary>
    /// <c>POST /auth</c>: checks <paramref name="login"/> against the registry <paramref name="serverAddress"/>
    /// names (Docker Hub when empty). Nothing is stored: clients keep their credentials and send them with each call.
    /// </summary>
    /// <exception cref="EngineException">Unauthorized with Docker's text when the registry refuses; System when it cannot be reached.</exception>
    public async Task LoginAsync(string? serverAddress, RegistryLogin login, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.Registry.LoginAsync(serverAddress, login.ToCredentials(), cancellationToken);
        }
        catch (RegistryException e) when (e.IsUnauthorized || e.Status == 403)
        {
            throw new EngineException(ErrorKind.Unauthorized, e.RegistryMessage, e);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException)
        {
            throw new EngineException(ErrorKind.System, e.Message, e);
        }
    }

    /// <summary>Removes what crashes and failed operations left in the content store and the snapshotter (partial
    /// ingests, blobs and layer snapshots no image needs, half-done unpacks); the daemon calls it at start.</summary>
    public Task CollectGarbageAsync(CancellationToken cancellationToken = default) => Call(() => store.CollectGarbageAsync(cancellationToken));

    /// <summary>
    /// Whether <paramref name="name"/> names a whole repository, with neither tag nor digest: what pull and push take as
    /// "every tag" when the client sends no tag (a malformed name is left for the store to refuse).
    /// </summary>
    public static bool IsRepositoryName(string name) => ImageReference.TryParse(name, out var parsed) && parsed!.Tag is null && parsed.Digest is null;

    /// <summary>The registry settings in force now (SIGHUP may have replaced them): mirrors and insecure registries.</summary>
    public RegistrySettings Registries() =>
        new([.. store.Registry.Options.Mirrors.Select(m => m.ToString())], store.Registry.Options.InsecureRegistries);

    /// <summary>Runs an image-store call, turning its refusals into the engine's error kinds.</summary>
    internal static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ImageException e)
        {
            throw ToEngine(e);
        }
    }

    /// <summary>The image store's error as the engine's kind.</summary>
    internal static EngineException ToEngine(ImageException e) => new(e.Kind switch
    {
        ImageErrorKind.NotFound => ErrorKind.NotFound,
        ImageErrorKind.Conflict => ErrorKind.Conflict,
        _ => ErrorKind.InvalidArgument,
    }, e.Message, e);
}
