namespace Berth.Api.Client;

/// <summary><c>GET /containers/json</c> parameters.</summary>
public sealed record ContainerListOptions
{
    public bool All { get; init; }
    public bool Size { get; init; }

    /// <summary>Only the N most recently created (docker's <c>-n</c>/<c>-l</c>); 0 = no limit.</summary>
    public int Limit { get; init; }

    public Filters? Filters { get; init; }
}

/// <summary><c>GET /containers/{id}/logs</c> parameters. <c>Since</c>/<c>Until</c> are Unix seconds with an optional fraction.</summary>
public sealed record LogsOptions
{
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
    public bool Follow { get; init; }
    public string? Since { get; init; }
    public string? Until { get; init; }
    public bool Timestamps { get; init; }

    /// <summary><c>all</c> or a number of lines.</summary>
    public string Tail { get; init; } = "all";

    public bool Details { get; init; }
}

/// <summary><c>POST /containers/{id}/attach</c> parameters.</summary>
public sealed record AttachOptions
{
    public bool Stream { get; init; } = true;
    public bool Stdin { get; init; }
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
    public bool Logs { get; init; }
    public string? DetachKeys { get; init; }
}

/// <summary><c>GET /images/json</c> parameters.</summary>
public sealed record ImageListOptions
{
    public bool All { get; init; }
    public bool SharedSize { get; init; }
    public Filters? Filters { get; init; }
}

/// <summary><c>POST /images/create?fromImage=</c> (pull).</summary>
public sealed record ImagePullOptions
{
    /// <summary>The image name without tag (<c>docker.io/library/alpine</c>), or with one when <see cref="Tag"/> is empty.</summary>
    public required string FromImage { get; init; }

    public string? Tag { get; init; }
    public string? Platform { get; init; }

    /// <summary>Base64url JSON AuthConfig for <c>X-Registry-Auth</c>; anonymous (<c>{}</c>) when null.</summary>
    public string? RegistryAuth { get; init; }
}

/// <summary><c>POST /images/{name}/push?tag=</c>.</summary>
public sealed record ImagePushOptions
{
    /// <summary>The repository without tag, as docker's client sends it (<c>docker.io/library/alpine</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The tag to push; null pushes every tag of the repository.</summary>
    public string? Tag { get; init; }

    /// <summary>Base64url JSON AuthConfig for <c>X-Registry-Auth</c>; anonymous (<c>{}</c>) when null.</summary>
    public string? RegistryAuth { get; init; }
}

/// <summary><c>POST /images/create?fromSrc=-</c> (import) parameters.</summary>
public sealed record ImageImportOptions
{
    /// <summary><c>-</c> to read the request body, or a URL for the daemon to fetch.</summary>
    public string Source { get; init; } = "-";

    public string? Repository { get; init; }
    public string? Tag { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<string> Changes { get; init; } = [];
    public string? Platform { get; init; }
}

/// <summary><c>GET /events</c> parameters: times are Unix seconds (fraction allowed) or RFC3339.</summary>
public sealed record EventsOptions
{
    public string? Since { get; init; }
    public string? Until { get; init; }
    public Filters? Filters { get; init; }
}

/// <summary><c>HEAD /_ping</c> headers.</summary>
public sealed record PingResponse(string ApiVersion, string OsType, bool Experimental, string? BuilderVersion);

/// <summary>
/// <c>POST /build</c> parameters as the docker CLI sends them to the legacy builder: only what differs from the
/// daemon's defaults is sent (<c>rm=0</c> when <see cref="Remove"/> is off, <c>networkmode</c> unless default…).
/// </summary>
public sealed record ImageBuildOptions
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The Dockerfile's path inside the context (<c>dockerfile</c>); null for the daemon's <c>Dockerfile</c>.</summary>
    public string? Dockerfile { get; init; }

    /// <summary><c>--build-arg</c>: a null value is a name given without a value, which the daemon looks up itself.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public bool Remove { get; init; } = true;
    public bool ForceRemove { get; init; }
    public bool Quiet { get; init; }
    public string? NetworkMode { get; init; }
    public string? Platform { get; init; }

    /// <summary><c>host:ip</c> entries.</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>Bytes; 0 for the daemon's default.</summary>
    public long ShmSize { get; init; }

    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary><c>remote</c>: a git or http(s) URL the daemon fetches the context from (the body is then empty).</summary>
    public string? RemoteContext { get; init; }

    /// <summary>Resource limits of the RUN containers, in bytes and CFS units as <c>docker run</c> takes them; 0 or empty = unset.</summary>
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long CpuShares { get; init; }
    public long CpuPeriod { get; init; }
    public long CpuQuota { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    public string? CgroupParent { get; init; }
    public string? Isolation { get; init; }
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    public IReadOnlyList<(string Name, long Soft, long Hard)> Ulimits { get; init; } = [];
    public bool Squash { get; init; }

    /// <summary><c>X-Registry-Config</c>: base64url JSON of registry → AuthConfig (<see cref="RegistryAuth.EncodeConfig"/>); <c>{}</c> when null.</summary>
    public string? RegistryConfig { get; init; }
}

/// <summary><c>POST /commit</c>: the image's name (none: untagged), message, author, changes; the container paused meanwhile unless <see cref="Pause"/> is false.</summary>
public sealed record ContainerCommitOptions
{
    public string? Repository { get; init; }
    public string? Tag { get; init; }
    public string? Comment { get; init; }
    public string? Author { get; init; }
    public bool Pause { get; init; } = true;
    public IReadOnlyList<string> Changes { get; init; } = [];
}
