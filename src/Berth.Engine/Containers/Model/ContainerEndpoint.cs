namespace Berth.Engine.Containers.Model;

/// <summary>
/// One network a container is connected to: what was asked (kept while the container exists) and, while it runs,
/// the endpoint made for it (cleared when the run is released). Persisted with the container, so that after a crash
/// the next start knows which addresses and interfaces to reclaim.
/// </summary>
public sealed class ContainerEndpoint
{
    public required string NetworkId { get; set; }
    public List<string> Aliases { get; set; } = [];
    public List<string> Links { get; set; } = [];
    /// <summary>A static address asked with <c>--ip</c> (empty: one is given from the network's range).</summary>
    public string RequestedAddress { get; set; } = "";
    public string RequestedMac { get; set; } = "";
    public Dictionary<string, string> DriverOpts { get; set; } = [];

    /// <summary>The live endpoint; null while the container does not run.</summary>
    public EndpointState? State { get; set; }
}

/// <summary>An endpoint as wired: its id, address, gateway, MAC, and both ends of its veth pair.</summary>
public sealed record EndpointState(
    string EndpointId, string Address, int PrefixLength, string Gateway, string MacAddress, string HostInterface, string ContainerInterface);

/// <summary>A published port of the current run (<c>HostPort</c> resolved when it was random).</summary>
public sealed record PublishedPort(string ContainerPort, string Protocol, string HostIp, int HostPort);

/// <summary><c>HostConfig.PortBindings</c> entry: <c>HostPort</c> empty or "0" means a random port; it may be a range.</summary>
public sealed record PortBinding(string HostIp, string HostPort);
