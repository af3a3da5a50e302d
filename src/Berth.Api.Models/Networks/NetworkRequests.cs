using System.Text.Json.Serialization;
using Berth.Api.Models.Containers;

namespace Berth.Api.Models.Networks;

/// <summary><c>POST /networks/create</c> body. <c>CheckDuplicate</c> is sent by old clients; a duplicate name is always refused.</summary>
public sealed class NetworkCreateRequest
{
    public string Name { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CheckDuplicate { get; set; }

    public string? Driver { get; set; }
    public string? Scope { get; set; }

    /// <summary>Sent by docker 28's <c>--ipv4</c> only when given (API 1.47); absent means enabled.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableIPv4 { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableIPv6 { get; set; }

    public NetworkIpam? IPAM { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public bool ConfigOnly { get; set; }
    public NetworkConfigReference? ConfigFrom { get; set; }
    public Dictionary<string, string>? Options { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary><c>POST /networks/create</c> answer (201).</summary>
public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";
    public string Warning { get; set; } = "";
}

/// <summary><c>POST /networks/{id}/connect</c> body.</summary>
public sealed class NetworkConnectRequest
{
    public string Container { get; set; } = "";
    public EndpointSettings? EndpointConfig { get; set; }
}

/// <summary><c>POST /networks/{id}/disconnect</c> body.</summary>
public sealed class NetworkDisconnectRequest
{
    public string Container { get; set; } = "";
    public bool Force { get; set; }
}

/// <summary><c>POST /networks/prune</c> answer.</summary>
public sealed class NetworkPruneResponse
{
    public List<string> NetworksDeleted { get; set; } = [];
}
