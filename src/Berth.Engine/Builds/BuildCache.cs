using Berth.Build;
using Berth.Engine.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// The legacy builder's cache: a step's result is an image whose parent is the step's parent image, whose config is
/// the step's result config and whose <c>container_config</c> (its <c>Cmd</c> says what the step did) is the step's.
/// Nothing else is stored: the images are the cache, so it lasts as long as they do. The images are listed once per
/// build: a step that missed has a new parent, which no other image can have yet.
/// </summary>
internal sealed class BuildCache(ImageService images)
{
    private ILookup<string, ImageView>? _children;

    /// <returns>The newest matching image's id, or null.</returns>
    public async Task<string?> FindAsync(string? parentId, ImageRuntimeConfig config, ImageRuntimeConfig containerConfig, CancellationToken cancellationToken)
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
}
