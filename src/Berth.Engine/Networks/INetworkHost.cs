using System.Net;
using Berth.Network.Bridge;

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

    /// <summary>Serves 127.0.0.11:53 inside the namespace, answering from <paramref name="names"/>, forwarding the rest.</summary>
    IAsyncDisposable StartDns(string netnsPath, IContainerNames names);

    /// <summary>Listens on the host side of <paramref name="port"/> (port 0: a free one) and forwards to the container.</summary>
    IPortForward Forward(PortForwardSpec port);
}

public sealed record BridgeSpec(string Name, IPNetwork Subnet, IPAddress Gateway, int Mtu, bool Internal);

public sealed record PortForwardSpec(string Protocol, IPAddress HostIp, int HostPort, IPAddress ContainerIp, int ContainerPort);

/// <summary>A running forward; <see cref="HostPort"/> is the port actually bound.</summary>
public interface IPortForward : IAsyncDisposable
{
    int HostPort { get; }
}

/// <summary>The names a container may resolve: those of the containers on its user-defined networks.</summary>
public interface IContainerNames
{
    /// <summary>The addresses of <paramref name="name"/>, or null when it is not a container's name (then it is forwarded).</summary>
    IReadOnlyList<IPAddress>? Resolve(string name);

    /// <summary>The name of the container that has <paramref name="address"/>, for reverse lookups.</summary>
    string? ReverseLookup(IPAddress address);
}
