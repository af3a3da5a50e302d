using System.Net;

namespace Berth.Network.Bridge;

/// <summary>A bridge network's link on the host: the bridge carries the gateway address, the containers' first hop.</summary>
/// <param name="Name">The bridge's interface name (at most 15 bytes), e.g. "br-" and 12 hex of the network's id.</param>
/// <param name="Gateway">The bridge's own IPv4 address in the subnet.</param>
/// <param name="PrefixLength">The subnet's prefix length.</param>
/// <param name="Mtu">The bridge's MTU.</param>
public sealed record BridgeSettings(string Name, IPAddress Gateway, int PrefixLength, int Mtu = 1500);

/// <summary>
/// One container's attachment to a bridge network: a veth pair whose host end joins the bridge and whose other end
/// is created directly inside the container's network namespace, named, addressed and routed there.
/// </summary>
/// <param name="BridgeName">The bridge (already ensured) the host end joins.</param>
/// <param name="NetnsPath">The container's network namespace file (see <see cref="NetworkNamespaceFile"/>).</param>
/// <param name="HostInterface">The host end's name, chosen by the caller so it can find and remove it after a crash
/// (e.g. "veth" and 7 hex).</param>
/// <param name="ContainerInterface">The name inside the container: "eth0", "eth1"… in the order of its networks.</param>
/// <param name="Address">The container's IPv4 address.</param>
/// <param name="PrefixLength">The subnet's prefix length.</param>
/// <param name="Gateway">The default route's next hop; null for none (a second network, an internal one).</param>
/// <param name="MacAddress">The container end's 6-byte MAC (see <see cref="MacAddresses.FromIPv4"/>).</param>
/// <param name="Mtu">The MTU of both ends.</param>
public sealed record EndpointLink(
    string BridgeName,
    string NetnsPath,
    string HostInterface,
    string ContainerInterface,
    IPAddress Address,
    int PrefixLength,
    IPAddress? Gateway,
    byte[] MacAddress,
    int Mtu = 1500);
