using System.Text.Json.Serialization;

namespace Berth.Api.Models.Networks;

/// <summary>
/// <c>GET /networks</c> item and <c>GET /networks/{id}</c> (Go <c>network.Inspect</c>). <c>Containers</c> is filled by
/// inspect and left empty by list, as Docker does; <c>Options</c>, <c>Labels</c> and <c>Containers</c> are objects, never null.
/// </summary>
public sealed class NetworkResource
{
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    /// <summary>RFC 3339 with nanoseconds, in the daemon's zone as Docker writes it.</summary>
    public string Created { get; set; } = "";
    public string Scope { get; set; } = "local";
    public string Driver { get; set; } = "";

    /// <summary>API 1.47's field, absent from 1.44 answers; docker 28's <c>network ls</c> prints it (<c>{{.IPv4}}</c>), <c>false</c> when absent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableIPv4 { get; set; }

    public bool EnableIPv6 { get; set; }
    public NetworkIpam IPAM { get; set; } = new();
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public NetworkConfigReference ConfigFrom { get; set; } = new();
    public bool ConfigOnly { get; set; }
    public Dictionary<string, NetworkContainer> Containers { get; set; } = [];
    public Dictionary<string, string> Options { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];
}

/// <summary>A network's address management: the driver (always <c>default</c>) and its pools.</summary>
public sealed class NetworkIpam
{
    public string Driver { get; set; } = "default";
    public Dictionary<string, string>? Options { get; set; }
    public List<IpamPool>? Config { get; set; }
}

/// <summary>One IPAM pool: subnet, the range addresses are given from, and the gateway.</summary>
public sealed class IpamPool
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subnet { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPRange { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gateway { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
}

public sealed class NetworkConfigReference
{
    public string Network { get; set; } = "";
}

/// <summary>An endpoint as <c>network inspect</c> shows it, keyed by container id.</summary>
public sealed class NetworkContainer
{
    public string Name { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
}
