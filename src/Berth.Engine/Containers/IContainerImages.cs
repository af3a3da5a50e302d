using Berth.Oci.Image;
using Berth.Snapshots.Layers;

namespace Berth.Engine.Containers;

/// <summary>What the container engine needs from the image store: resolve an image, and a container's root filesystem.</summary>
public interface IContainerImages
{
    /// <summary>The image's id and default config.</summary>
    /// <exception cref="EngineException">NotFound with Docker's <c>No such image: x</c>.</exception>
    Task<ResolvedImage> ResolveAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Creates (or reopens) the writable layer <paramref name="key"/> over the image and mounts it at <paramref name="target"/>.</summary>
    Task MountRootAsync(string imageId, string key, string target, CancellationToken cancellationToken = default);

    /// <summary>Unmounts <paramref name="target"/> if mounted; with <paramref name="removeLayer"/> also drops the writable layer.</summary>
    Task UnmountRootAsync(string key, string target, bool removeLayer, CancellationToken cancellationToken = default);

    /// <summary>Makes an image of a writable layer (see <see cref="Images.ImageCommitSpec"/>); returns its id.</summary>
    /// <exception cref="EngineException">NotFound: the parent image is gone; InvalidArgument: a bad reference.</exception>
    Task<string> CommitAsync(Images.ImageCommitSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Bytes in the writable layer <paramref name="key"/> (0 when it does not exist).</summary>
    Task<long> WritableLayerSizeAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>What the writable layer <paramref name="key"/> changed against the image, as <c>docker diff</c> lists it.</summary>
    /// <exception cref="Berth.Snapshots.SnapshotException">NotFound when the layer was never made.</exception>
    Task<IReadOnlyList<FileChange>> ChangesAsync(string key, IReadOnlySet<string> hidden, CancellationToken cancellationToken = default);
}

public sealed record ResolvedImage(string Id, ImageRuntimeConfig? Config);
