using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// An image's configuration blob (image-spec <c>config.md</c>, with Docker's extensions): what a container of the
/// image runs by default, and the uncompressed digests of its layers. Its digest is the image ID.
/// </summary>
public sealed class ImageConfig
{
    public string? Created { get; set; }
    public string? Author { get; set; }
    public string Architecture { get; set; } = "";
    public string Os { get; set; } = "";
    public string? Variant { get; set; }
    public ImageRuntimeConfig? Config { get; set; }
    public RootFs Rootfs { get; set; } = new();
    public List<HistoryEntry>? History { get; set; }

    /// <summary>Docker's: the build's own container config and version (read, never required).</summary>
    [JsonPropertyName("docker_version")]
    public string? DockerVersion { get; set; }

    /// <summary>
    /// Docker's, for images made locally by commit or the legacy builder: the image this one was made from. The engine
    /// keeps such parent chains (a parent is not dangling while it has children) and the build cache looks them up.
    /// </summary>
    [JsonPropertyName("parent")]
    public string? Parent { get; set; }

    /// <summary>Docker's: the id of the container a commit or build step was made from.</summary>
    [JsonPropertyName("container")]
    public string? Container { get; set; }

    /// <summary>
    /// Docker's: the config of that container. For a build step its <c>Cmd</c> says what the step did
    /// (<c>/bin/sh -c #(nop) COPY file:… in /</c>), which is what the build cache compares.
    /// </summary>
    [JsonPropertyName("container_config")]
    public ImageRuntimeConfig? ContainerConfig { get; set; }

    [JsonPropertyName("comment")]
    public string? Comment { get; set; }
}

/// <summary>The execution defaults (image-spec's <c>config</c> object; Docker's field names, PascalCase).</summary>
public sealed class ImageRuntimeConfig
{
    [JsonPropertyName("User")] public string? User { get; set; }
    [JsonPropertyName("ExposedPorts")] public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }
    [JsonPropertyName("Env")] public List<string>? Env { get; set; }
    [JsonPropertyName("Entrypoint")] public List<string>? Entrypoint { get; set; }
    [JsonPropertyName("Cmd")] public List<string>? Cmd { get; set; }
    [JsonPropertyName("Volumes")] public Dictionary<string, EmptyObject>? Volumes { get; set; }
    [JsonPropertyName("WorkingDir")] public string? WorkingDir { get; set; }
    [JsonPropertyName("Labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("StopSignal")] public string? StopSignal { get; set; }
    [JsonPropertyName("ArgsEscaped")] public bool? ArgsEscaped { get; set; }
    [JsonPropertyName("Healthcheck")] public ImageHealthcheck? Healthcheck { get; set; }
    [JsonPropertyName("OnBuild")] public List<string>? OnBuild { get; set; }
    [JsonPropertyName("Shell")] public List<string>? Shell { get; set; }

    /// <summary>A deep copy: configs read from the store are shared (cached), so a change is made on a copy.</summary>
    public ImageRuntimeConfig Clone() => new()
    {
        User = User,
        ExposedPorts = ExposedPorts is null ? null : new(ExposedPorts),
        Env = Env is null ? null : [.. Env],
        Entrypoint = Entrypoint is null ? null : [.. Entrypoint],
        Cmd = Cmd is null ? null : [.. Cmd],
        Volumes = Volumes is null ? null : new(Volumes),
        WorkingDir = WorkingDir,
        Labels = Labels is null ? null : new(Labels),
        StopSignal = StopSignal,
        ArgsEscaped = ArgsEscaped,
        Healthcheck = Healthcheck is null ? null : new()
        {
            Test = Healthcheck.Test is null ? null : [.. Healthcheck.Test],
            Interval = Healthcheck.Interval,
            Timeout = Healthcheck.Timeout,
            StartPeriod = Healthcheck.StartPeriod,
            StartInterval = Healthcheck.StartInterval,
            Retries = Healthcheck.Retries,
        },
        OnBuild = OnBuild is null ? null : [.. OnBuild],
        Shell = Shell is null ? null : [.. Shell],
    };
}

/// <summary>Docker's HEALTHCHECK: durations in nanoseconds, as Go's time.Duration.</summary>
public sealed class ImageHealthcheck
{
    [JsonPropertyName("Test")] public List<string>? Test { get; set; }
    [JsonPropertyName("Interval")] public long? Interval { get; set; }
    [JsonPropertyName("Timeout")] public long? Timeout { get; set; }
    [JsonPropertyName("StartPeriod")] public long? StartPeriod { get; set; }
    [JsonPropertyName("StartInterval")] public long? StartInterval { get; set; }
    [JsonPropertyName("Retries")] public int? Retries { get; set; }
}

public sealed class RootFs
{
    public string Type { get; set; } = "layers";

    [JsonPropertyName("diff_ids")]
    public List<string> DiffIds { get; set; } = [];
}

public sealed class HistoryEntry
{
    public string? Created { get; set; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; set; }
    public string? Author { get; set; }
    public string? Comment { get; set; }
    [JsonPropertyName("empty_layer")] public bool? EmptyLayer { get; set; }
}

/// <summary>The <c>{}</c> value of set-like maps (ExposedPorts, Volumes).</summary>
public sealed class EmptyObject;
