using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary><c>GET /containers/json</c> item. <c>Created</c> is Unix seconds; <c>Names</c> carry the leading <c>/</c>.</summary>
public sealed class ContainerSummary
{
    public string Id { get; set; } = "";
    public List<string> Names { get; set; } = [];
    public string Image { get; set; } = "";
    public string ImageID { get; set; } = "";
    public string Command { get; set; } = "";
    public long Created { get; set; }
    public List<Port> Ports { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c>, <c>dead</c>.</summary>
    public string State { get; set; } = "";

    /// <summary>Human text computed by the server: <c>Up 3 seconds</c>, <c>Exited (0) 2 minutes ago</c>.</summary>
    public string Status { get; set; } = "";

    public SummaryHostConfig HostConfig { get; set; } = new();
    public SummaryNetworkSettings NetworkSettings { get; set; } = new();
    public List<MountPoint> Mounts { get; set; } = [];
}

/// <summary>A port in the container list; <c>IP</c> and <c>PublicPort</c> only when published.</summary>
public sealed class Port
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IP { get; set; }

    public ushort PrivatePort { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? PublicPort { get; set; }

    /// <summary><c>tcp</c>, <c>udp</c> or <c>sctp</c>.</summary>
    public string Type { get; set; } = "";
}

public sealed class SummaryHostConfig
{
    public string NetworkMode { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class SummaryNetworkSettings
{
    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];
}
