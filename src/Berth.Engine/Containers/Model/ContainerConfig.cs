namespace Berth.Engine.Containers.Model;

/// <summary>
/// What a container runs, as Docker's create body <c>Config</c> states it (the portable part). Unset fields fall back to
/// the image's config when the container is created; the stored record keeps what the client asked for.
/// </summary>
public sealed record ContainerConfig
{
    public string Image { get; init; } = "";
    public string? Hostname { get; init; }
    public string? Domainname { get; init; }
    public string? User { get; init; }
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; }
    public bool AttachStderr { get; init; }
    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public bool StdinOnce { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];
    public IReadOnlyList<string> Volumes { get; init; } = [];
    public string? StopSignal { get; init; }
    public int? StopTimeout { get; init; }
    public HealthConfig? Healthcheck { get; init; }
    public bool NetworkDisabled { get; init; }
}

/// <summary>Docker's health check: <c>Test</c> is <c>["NONE"]</c>, <c>["CMD", args…]</c> or <c>["CMD-SHELL", command]</c>.</summary>
public sealed record HealthConfig
{
    public IReadOnlyList<string> Test { get; init; } = [];
    public TimeSpan Interval { get; init; }
    public TimeSpan Timeout { get; init; }
    public TimeSpan StartPeriod { get; init; }
    public TimeSpan StartInterval { get; init; }
    public int Retries { get; init; }
}
