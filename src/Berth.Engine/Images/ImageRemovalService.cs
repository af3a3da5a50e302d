using Berth.Engine.Containers;
using Berth.Engine.Events;

namespace Berth.Engine.Images;

/// <summary>
/// Docker's <c>rmi</c> and <c>image prune</c>: the image store removes, the containers say which images are in use (an
/// image a container uses is refused, or spared by a prune). Apart from <see cref="ImageService"/> because it needs the
/// containers, and the container service needs the image service.
/// </summary>
public sealed class ImageRemovalService(ImageService images, ContainerService containers, EventService events)
{
    /// <summary>
    /// Untags <paramref name="nameOrId"/>, and deletes the image when no reference is left; with <paramref name="prune"/>
    /// its parents that nothing else keeps go too (Docker's default; <c>--no-prune</c> keeps them).
    /// </summary>
    /// <exception cref="EngineException">NotFound; Conflict when a container uses the image (running: even with <paramref name="force"/>).</exception>
    public async Task<IReadOnlyList<ImageDeleteView>> DeleteAsync(string nameOrId, bool force, bool prune = true, CancellationToken cancellationToken = default)
    {
        var image = await ImageService.Call(() => images.Store.ResolveAsync(nameOrId, cancellationToken));
        var items = await ImageService.Call(() => images.Store.DeleteAsync(nameOrId, force, containers.ImageUses(), prune, cancellationToken));
        foreach (var item in items)
        {
            if (item.Untagged is { } untagged)
                events.Publish("image", "untag", image.Id.ToString(), new Dictionary<string, string> { ["name"] = untagged });
            else if (item.Deleted == image.Id.ToString())
                events.Publish("image", "delete", image.Id.ToString(), new Dictionary<string, string> { ["name"] = image.Id.ToString() });
        }
        return [.. items.Select(i => i.ToView())];
    }

    /// <summary>
    /// Docker's image prune: unused images that are dangling (all unused ones with <c>dangling=false</c>), created
    /// before <c>until</c>, with the labels <c>label</c> names and without those <c>label!</c> names.
    /// </summary>
    public async Task<ImagePruneView> PruneAsync(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, CancellationToken cancellationToken = default)
    {
        var filter = PruneFilter.Parse(filters, DateTimeOffset.UtcNow, "dangling");
        var danglingOnly = FilterArgs.Bool(filters, "dangling") ?? true;
        var result = await ImageService.Call(() =>
            images.Store.PruneAsync(!danglingOnly, containers.ImageUses(), image => filter.Matches(image.Labels, image.Created), cancellationToken));
        events.Publish("image", "prune", "", new Dictionary<string, string> { ["reclaimed"] = result.SpaceReclaimed.ToString() });
        return new([.. result.Items.Select(i => i.ToView())], result.SpaceReclaimed);
    }
}
