using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>One line of <c>docker images</c>. <see cref="Size"/> is the sum of the uncompressed layer sizes.</summary>
public sealed record ImageSummary(
    Digest Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    DateTimeOffset Created,
    long Size,
    IReadOnlyDictionary<string, string> Labels,
    Digest? ParentId = null,
    bool HasChildren = false)
{
    /// <summary>Docker's intermediate image: untagged, with children (a build step's); <c>docker images</c> hides it without <c>-a</c>.</summary>
    public bool IsIntermediate => HasChildren && RepoTags.Count == 0 && RepoDigests.Count == 0;

    /// <summary>Docker's dangling image: untagged and no image's parent.</summary>
    public bool IsDangling => !HasChildren && RepoTags.Count == 0 && RepoDigests.Count == 0;
}

/// <summary>What <c>docker image inspect</c> shows: the record, the parsed config and the references in familiar form.</summary>
public sealed record ImageDetails(
    ImageRecord Record,
    ImageConfig Config,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests)
{
    public Digest Id => Record.Id;
    public long Size => Record.Size;
    public string Architecture => Config.Architecture;
    public string Os => Config.Os;
    public IReadOnlyList<string> DiffIds => Config.Rootfs.DiffIds;
    public IReadOnlyList<HistoryEntry> History => Config.History ?? [];
}

/// <summary>
/// One line of <c>docker history</c>, newest first. <see cref="Id"/> is the image id on the newest line and
/// <c>&lt;missing&gt;</c> on the others (Docker's form when lower steps are not images of their own).
/// </summary>
public sealed record ImageHistoryItem(
    string Id, DateTimeOffset? Created, string CreatedBy, IReadOnlyList<string> Tags, long Size, string Comment, bool EmptyLayer);

/// <summary>One line of <c>docker rmi</c>'s answer: exactly one of the two is set.</summary>
public sealed record ImageDeleteItem(string? Untagged = null, string? Deleted = null)
{
    public override string ToString() => Untagged is not null ? $"Untagged: {Untagged}" : $"Deleted: {Deleted}";
}

/// <summary>A container using an image, as the engine tells the image store when deleting (12-hex ids are printed).</summary>
public sealed record ImageUse(Digest ImageId, string ContainerId, bool Running);

/// <summary>What <c>docker import</c> asks for. <see cref="Changes"/> are Dockerfile instructions (CMD, ENV, …).</summary>
public sealed record ImportOptions
{
    /// <summary>Tag the image with this reference (normalised; <c>:latest</c> when it has no tag).</summary>
    public string? Reference { get; init; }

    /// <summary>The config's and the history entry's comment (the engine passes Docker's default, e.g. <c>Imported from -</c>).</summary>
    public string? Message { get; init; }

    public IReadOnlyList<string> Changes { get; init; } = [];

    public string Architecture { get; init; } = "amd64";

    public string Os { get; init; } = "linux";

    public string? Variant { get; init; }

    /// <summary>Write an OCI manifest and config media type instead of Docker's v2 schema 2.</summary>
    public bool OciManifest { get; init; }

    /// <summary>The image's creation time (default: now).</summary>
    public DateTimeOffset? Created { get; init; }
}

/// <summary>What <c>docker load</c> brought in: each image with the references it was tagged with (familiar form).</summary>
public sealed record LoadedImage(ImageRecord Image, IReadOnlyList<string> Tags);

/// <summary>What a prune removed, and the bytes it freed (sum of the deleted images' sizes).</summary>
public sealed record PruneResult(IReadOnlyList<ImageDeleteItem> Items, long SpaceReclaimed);
