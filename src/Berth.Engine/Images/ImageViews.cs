namespace Berth.Engine.Images;

// The engine's own records of images, made from the image store's: the API layer maps these to Docker's JSON and
// never sees the store's types (DESIGN.md: Api.Server → Engine, Api.Models only).

/// <summary>One line of <c>docker images</c>: <see cref="Size"/> is the sum of the uncompressed layer sizes.</summary>
public sealed record ImageView(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    DateTimeOffset Created,
    long Size,
    IReadOnlyDictionary<string, string> Labels,
    string? ParentId = null,
    bool HasChildren = false)
{
    /// <summary>Untagged with children: a build step's image, which <c>docker images</c> shows only with <c>-a</c>.</summary>
    public bool IsIntermediate => HasChildren && RepoTags.Count == 0 && RepoDigests.Count == 0;
}

/// <summary>
/// What <c>docker image inspect</c> shows. <see cref="Created"/> is the config's creation time, or the time the image
/// was stored when the config has none (or one that does not parse); the optional texts are null when the config lacks them.
/// </summary>
public sealed record ImageDetailsView
{
    public required string Id { get; init; }
    public required IReadOnlyList<string> RepoTags { get; init; }
    public required IReadOnlyList<string> RepoDigests { get; init; }
    public required DateTimeOffset Created { get; init; }
    public string? Comment { get; init; }
    public string? DockerVersion { get; init; }
    public string? Author { get; init; }
    public ImageConfigView? Config { get; init; }

    /// <summary>Docker's: the image this one was committed or built on, and the container it came from (local images only).</summary>
    public string? Parent { get; init; }
    public string? Container { get; init; }
    public ImageConfigView? ContainerConfig { get; init; }
    public required string Architecture { get; init; }
    public string? Variant { get; init; }
    public required string Os { get; init; }
    public required long Size { get; init; }
    public required string RootFsType { get; init; }
    public required IReadOnlyList<string> DiffIds { get; init; }

    /// <summary>When a tag last pointed at the image; null when it never was tagged here.</summary>
    public DateTimeOffset? LastTagTime { get; init; }
}

/// <summary>
/// The image's execution defaults, each null when the image's config does not state it (Docker shows an absent list as
/// <c>null</c>, so absence is kept apart from empty). <see cref="ExposedPorts"/> and <see cref="Volumes"/> are the keys of
/// the config's set-like maps, in their order.
/// </summary>
public sealed record ImageConfigView
{
    public string? User { get; init; }
    public IReadOnlyList<string>? ExposedPorts { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyList<string>? Volumes { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public string? StopSignal { get; init; }
    public IReadOnlyList<string>? OnBuild { get; init; }
    public IReadOnlyList<string>? Shell { get; init; }
    public ImageHealthcheckView? Healthcheck { get; init; }
}

/// <summary>The image's HEALTHCHECK: durations in nanoseconds (Go's time.Duration); null where the image leaves it unset.</summary>
public sealed record ImageHealthcheckView(
    IReadOnlyList<string>? Test, long? Interval, long? Timeout, long? StartPeriod, long? StartInterval, int? Retries);

/// <summary>
/// One line of <c>docker history</c>, newest first: <see cref="Id"/> is the image id on the newest line and
/// <c>&lt;missing&gt;</c> on the others.
/// </summary>
public sealed record ImageHistoryView(string Id, DateTimeOffset? Created, string CreatedBy, IReadOnlyList<string> Tags, long Size, string Comment);

/// <summary>One line of <c>docker rmi</c>'s answer: exactly one of the two is set.</summary>
public sealed record ImageDeleteView(string? Untagged, string? Deleted);

/// <summary>What <c>docker image prune</c> removed, and the bytes it freed.</summary>
public sealed record ImagePruneView(IReadOnlyList<ImageDeleteView> Items, long SpaceReclaimed);

/// <summary>An image <c>docker load</c> brought in, with the references it was tagged with (familiar form).</summary>
public sealed record LoadedImageView(string Id, IReadOnlyList<string> Tags);

/// <summary>What <c>docker import</c> asks for: the tag to give (none: untagged), the comment, and Dockerfile changes (CMD, ENV, …).</summary>
public sealed record ImportSpec(string? Reference, string Message, IReadOnlyList<string> Changes);

/// <summary>
/// Who a registry call is made as: a user name and password, or an identity token (an OAuth refresh token from
/// <c>docker login</c>) that replaces the password. The engine's own type, so that the API layer needs no registry client.
/// </summary>
public sealed record RegistryLogin(string? Username, string? Password, string? IdentityToken = null)
{
    /// <summary>Neither a user nor a token: the call is made anonymously.</summary>
    public bool IsAnonymous => string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(IdentityToken);

    public override string ToString() => $"RegistryLogin {{ Username = {Username} }}"; // never the secret
}

/// <summary>
/// What <c>docker pull</c> asks for: <see cref="Platform"/> is <c>os/arch[/variant]</c>; with <see cref="AllTags"/> every
/// tag of the repository is pulled (the reference then has neither tag nor digest); a null <see cref="Login"/> pulls anonymously.
/// </summary>
public sealed record PullSpec(string Platform, RegistryLogin? Login, bool AllTags);

/// <summary>What <c>docker push</c> asks for; with <see cref="AllTags"/> every local tag of the repository is pushed.</summary>
public sealed record PushSpec(RegistryLogin? Login, bool AllTags);

/// <summary>
/// One line of a pull's progress, as Docker streams it: <see cref="Id"/> is a layer's 12-hex short digest, the tag (or
/// digest) on <c>Pulling from …</c>, null on the overall lines; <see cref="Current"/>/<see cref="Total"/> are bytes.
/// </summary>
public sealed record PullProgressEvent(string? Id, string Status, long? Current = null, long? Total = null);

/// <summary>One line of a push's progress: <see cref="Id"/> is a layer's 12-hex short diff id, or null.</summary>
public sealed record PushProgressEvent(string? Id, string Status, long? Current = null, long? Total = null);

/// <summary>What a push left on the registry: the tag (or digest) pushed, the manifest's digest and its size in bytes.</summary>
public sealed record PushedImage(string Tag, string Digest, long Size);
