using Berth.Network.Ipam;

namespace Berth.Engine.Networks;

/// <summary>dockerd's network flags: the default bridge's name and address, the pools of new networks, the MTU.</summary>
public sealed record NetworkOptions
{
    /// <summary>The Linux bridge of the default <c>bridge</c> network (Docker's is docker0).</summary>
    public string DefaultBridge { get; init; } = NetworkNames.DefaultBridgeInterface;

    /// <summary><c>--bip</c>: the default bridge's gateway address and subnet (<c>172.17.0.1/16</c>); null picks from the pools.</summary>
    public string? Bip { get; init; }

    /// <summary><c>--default-address-pool</c>: where subnets of networks made without one come from.</summary>
    public IReadOnlyList<AddressPool> AddressPools { get; init; } = AddressPool.Defaults;

    /// <summary><c>--mtu</c>.</summary>
    public int Mtu { get; init; } = 1500;
}
