using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>
/// <c>GET /containers/{id}/json</c>. Dates are RFC3339Nano UTC strings (<c>0001-01-01T00:00:00Z</c> when unset,
/// never null); <c>Image</c> is <c>sha256:&lt;64hex&gt;</c>; <c>Name</c> has the leading <c>/</c>.
/// </summary>
public sealed class ContainerInspectResponse
{
    public string Id { get; set; } = "";
    public string Created { get; set; } = "";
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = [];
    public ContainerState State { get; set; } = new();
    public string Image { get; set; } = "";
    public string ResolvConfPath { get; set; } = "";
    public string HostnamePath { get; set; } = "";
    public string HostsPath { get; set; } = "";
    public string LogPath { get; set; } = "";
    public string Name { get; set; } = "";
    public int RestartCount { get; set; }
    public string Driver { get; set; } = "";
    public string Platform { get; set; } = "linux";
    public string MountLabel { get; set; } = "";
    public string ProcessLabel { get; set; } = "";
    public string AppArmorProfile { get; set; } = "";
    public List<string>? ExecIDs { get; set; }
    public HostConfig HostConfig { get; set; } = new();
    public GraphDriverData GraphDriver { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; set; }

    public List<MountPoint> Mounts { get; set; } = [];
    public ContainerConfig Config { get; set; } = new();
    public NetworkSettings NetworkSettings { get; set; } = new();
}

/// <summary>Inspect's <c>State</c>. <c>Health</c> is omitted entirely when no healthcheck is configured.</summary>
public sealed class ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c>, <c>dead</c>.</summary>
    public string Status { get; set; } = "";
    public bool Running { get; set; }
    public bool Paused { get; set; }
    public bool Restarting { get; set; }
    public bool OOMKilled { get; set; }
    public bool Dead { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public string StartedAt { get; set; } = "0001-01-01T00:00:00Z";
    public string FinishedAt { get; set; } = "0001-01-01T00:00:00Z";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Health? Health { get; set; }
}

/// <summary><c>State.Health</c>: <c>Status</c> ∈ <c>none</c>, <c>starting</c>, <c>healthy</c>, <c>unhealthy</c>.</summary>
public sealed class Health
{
    public string Status { get; set; } = "";
    public int FailingStreak { get; set; }
    public List<HealthcheckResult> Log { get; set; } = [];
}

/// <summary>One probe run; <c>Start</c>/<c>End</c> are RFC3339Nano strings.</summary>
public sealed class HealthcheckResult
{
    public string Start { get; set; } = "";
    public string End { get; set; } = "";
    public int ExitCode { get; set; }
    public string Output { get; set; } = "";
}

/// <summary><c>GraphDriver</c> of containers and images: <c>{"Name":"overlay2","Data":{…}}</c>.</summary>
public sealed class GraphDriverData
{
    public string Name { get; set; } = "";
    public Dictionary<string, string> Data { get; set; } = [];
}
