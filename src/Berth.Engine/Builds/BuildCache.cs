using Berth.Build;
using Berth.Engine.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// The legacy builder's cache: a step's result is an image whose parent is the step's parent image, whose config is
/// the step's result config and whose <c>container_config</c> (its <c>Cmd</c> says what the step did) is the step's.
/// Nothing else is stored: the images are the cache, so it lasts as long as they do.
/// </summary>
internal sealed class BuildCache(ImageService images)
{
    /// <returns>The newest matching image's id, or null.</returns>
    public async Task<string?> FindAsync(string? parentId, ImageRuntimeConfig config, ImageRuntimeConfig containerConfig, CancellationToken cancellationToken)
    {
        var configKey = ConfigKey.Of(config);
        var stepKey = ConfigKey.Of(containerConfig);
        foreach (var image in (await images.ListAsync(cancellationToken)).Where(i => i.ParentId == parentId).OrderByDescending(i => i.Created))
        {
            var stored = await images.Store.ReadConfigAsync(Digest.Parse(image.Id), cancellationToken);
            if (stored.ContainerConfig is not null && ConfigKey.Of(stored.ContainerConfig) == stepKey && ConfigKey.Of(stored.Config) == configKey)
                return image.Id;
        }
        return null;
    }
}
