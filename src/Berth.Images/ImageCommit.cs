using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>
/// An image made locally on <see cref="Parent"/> (null: on nothing, <c>FROM scratch</c>): <c>docker commit</c> or one
/// build step. <see cref="SnapshotKey"/> is the active snapshot holding the change, null for a step that changes only the
/// config (its history entry is then an empty layer). With <see cref="ConsumeSnapshot"/> the active snapshot itself
/// becomes the new layer's snapshot (a build step's container is thrown away after); without, the change is copied and
/// the container keeps its layer. A build step restored from another image's history (<c>--cache-from</c>) takes that
/// image's <see cref="Layer"/> (already unpacked, as the chains are the same) and its <see cref="History"/> entry instead.
/// </summary>
public sealed record ImageCommit
{
    public ImageRecord? Parent { get; init; }
    public required ImageRuntimeConfig Config { get; init; }
    public string? SnapshotKey { get; init; }
    public bool ConsumeSnapshot { get; init; }
    public ImageRuntimeConfig? ContainerConfig { get; init; }
    public string? Container { get; init; }
    public string? CreatedBy { get; init; }
    public string? Comment { get; init; }
    public string? Author { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    public ImageLayer? Layer { get; init; }
    public HistoryEntry? History { get; init; }

    /// <summary>The platform of an image on nothing; an image on a parent keeps the parent's.</summary>
    public string Architecture { get; init; } = "amd64";

    public string Os { get; init; } = "linux";
}
