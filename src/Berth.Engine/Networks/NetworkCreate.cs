namespace Berth.Engine.Networks;

/// <summary>What <c>network create</c> asks (the API body, as the engine reads it).</summary>
public sealed record NetworkCreate
{
    public required string Name { get; init; }
    public string Driver { get; init; } = "";
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool Ingress { get; init; }
    public bool EnableIPv4 { get; init; } = true;
    public bool EnableIPv6 { get; init; }
    public string IpamDriver { get; init; } = "";
    public IReadOnlyList<IpamRequest> Pools { get; init; } = [];
    public IReadOnlyDictionary<string, string> IpamOptions { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>One <c>IPAM.Config</c> entry.</summary>
public sealed record IpamRequest(string Subnet, string IPRange, string Gateway, IReadOnlyDictionary<string, string> AuxAddresses);

/// <summary>A container's asked endpoint on one network (create's <c>EndpointsConfig</c>, connect's <c>EndpointConfig</c>).</summary>
public sealed record EndpointRequest
{
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public IReadOnlyList<string> Links { get; init; } = [];
    public string IPv4Address { get; init; } = "";
    public string MacAddress { get; init; } = "";
    public IReadOnlyDictionary<string, string> DriverOpts { get; init; } = new Dictionary<string, string>();
}
