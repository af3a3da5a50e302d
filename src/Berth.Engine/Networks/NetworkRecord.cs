namespace Berth.Engine.Networks;

/// <summary>
/// A network as the engine keeps it (one row of <c>networks</c> in berth.db). The predefined <c>bridge</c>,
/// <c>host</c> and <c>none</c> are records too, made at first start.
/// </summary>
public sealed record NetworkRecord
{
    public const string BridgeDriver = "bridge";
    public const string HostDriver = "host";
    public const string NullDriver = "null";

    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Driver { get; init; }
    public required DateTime Created { get; init; }
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool Ingress { get; init; }
    public bool EnableIPv6 { get; init; }
    /// <summary>IPv4 CIDR of a bridge network ("" for host and none).</summary>
    public string Subnet { get; init; } = "";
    /// <summary>The part of <see cref="Subnet"/> addresses are given from ("" = all of it).</summary>
    public string IPRange { get; init; } = "";
    public string Gateway { get; init; } = "";
    /// <summary>Whether the subnet was asked by the user (only then may containers ask static addresses).</summary>
    public bool SubnetGiven { get; init; }
    public IReadOnlyDictionary<string, string> AuxAddresses { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> IpamOptions { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>The Linux bridge of a bridge network (<c>berth0</c>, <c>br-&lt;id[..12]&gt;</c>, or the name asked).</summary>
    public string BridgeName { get; init; } = "";
    public int Mtu { get; init; } = 1500;

    public bool IsBridge => Driver == BridgeDriver;

    /// <summary><c>bridge</c>, <c>host</c> and <c>none</c>: cannot be removed, no aliases or static addresses on them.</summary>
    public bool IsPredefined => Name is NetworkNames.Bridge or NetworkNames.Host or NetworkNames.None;

    /// <summary>Containers find each other by name here (not on the default bridge, as in Docker).</summary>
    public bool HasEmbeddedDns => IsBridge && Name != NetworkNames.Bridge;
}

public static class NetworkNames
{
    public const string Bridge = "bridge";
    public const string Host = "host";
    public const string None = "none";
    public const string Default = "default";
    /// <summary>The default network's Linux bridge unless <c>--bridge</c> names another (Docker's is docker0).</summary>
    public const string DefaultBridgeInterface = "berth0";
}
