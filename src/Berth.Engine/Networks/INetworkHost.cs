using System.Net;
using Berth.Network.Bridge;
using Berth.Network.Dns;
using Berth.Network.Ports;

namespace Berth.Engine.Networks;

/// <summary>
/// What the network service asks of the host: Linux bridges and their firewall rules, veth pairs into containers'
/// namespaces, DNS servers inside them and port proxies. Implemented over netlink, iptables and sockets
/// (<see cref="KernelNetworkHost"/>); unit tests use an in-memory twin.
/// </summary>
public interface INetworkHost
{
    /// <summary>A network namespace of its own, loopback up, held by a bind mount on <paramref name="path"/>.</summary>
    void CreateNamespace(string path);

    /// <summary>Unbinds and deletes <paramref name="path"/>. Absent is fine.</summary>
    void RemoveNamespace(string path);

    /// <summary>Makes the bridge (if missing) with its gateway address, up, and its firewall rules. Idempotent.</summary>
    void EnsureBridge(BridgeSpec bridge);

    /// <summary>Removes the bridge and its rules. Absent is fine.</summary>
    void RemoveBridge(BridgeSpec bridge);

    /// <summary>The host's routes (its own networks): a new network's subnet must not overlap them.</summary>
    IReadOnlyList<IPNetwork> HostRoutes();

    /// <summary>A veth pair: the host end on the bridge, the other inside the namespace, addressed and up. All or nothing.</summary>
    void Connect(EndpointLink endpoint);

    /// <summary>
    /// Deletes the host end (and so the pair). Absent is fine. Slow (the kernel waits for a grace period, ~20 ms):
    /// a run's release removes the namespace instead, which takes its pairs with it in the background.
    /// </summary>
    void Disconnect(string hostInterface);

    /// <summary>
    /// Serves 127.0.0.11:53 inside the namespace, answering from <paramref name="names"/>, forwarding the rest to
    /// <paramref name="servers"/> (the container's <c>--dns</c>), or to the host's nameservers when none are given.
    /// </summary>
    IAsyncDisposable StartDns(string netnsPath, IDnsNames names, IReadOnlyList<IPAddress> servers);

    /// <summary>Listens on the host side of <paramref name="port"/> (port 0: a free one; a range: its first free one) and forwards to the container.</summary>
    IPortForward Forward(PortMapping port);
}

public sealed record BridgeSpec(string Name, IPNetwork Subnet, IPAddress Gateway, int Mtu, bool Internal);

/// <summary>A running forward; <see cref="HostPort"/> is the port actually bound.</summary>
public interface IPortForward : IAsyncDisposable
{
    int HostPort { get; }
}
