using Berth.Linux;
using Berth.Linux.Netlink;

namespace Berth.Network.Bridge;

/// <summary>
/// The kernel side of bridge networks, over rtnetlink: no tool is spawned, so connecting a container costs a few
/// netlink round trips. Every operation is idempotent where a retry after a crash needs it (ensure, remove,
/// disconnect), and a connect that fails leaves nothing behind. Stateless and thread-safe: each call opens its own
/// sockets.
/// </summary>
public sealed class BridgeDriver
{
    private const string BridgeKind = "bridge", VethKind = "veth";

    /// <summary>Makes the bridge exist as described: created when missing, its MTU set, the gateway address added when
    /// it lacks it, up. A link of that name that is not a bridge is an error.</summary>
    public void EnsureBridge(BridgeSettings settings)
    {
        using var rtnl = RouteNetlink.Open();
        var bridge = rtnl.FindLink(settings.Name);
        if (bridge is null)
        {
            try
            {
                rtnl.CreateBridge(new LinkSettings(settings.Name) { Mtu = settings.Mtu, Up = true });
            }
            catch (LinuxException e) when (e.Errno == Errno.EEXIST)
            {
                // made meanwhile by another caller: checked below like any existing link
            }
            bridge = rtnl.FindLink(settings.Name) ?? throw new LinuxException("RTM_GETLINK", settings.Name, Errno.ENODEV);
        }
        if (bridge.Kind != BridgeKind)
            throw new InvalidOperationException($"cannot use {settings.Name} as a bridge: it exists and is a {bridge.Kind ?? "device"}");
        if (settings.Mtu > 0 && bridge.Mtu != settings.Mtu) rtnl.SetMtu(bridge.Index, settings.Mtu);
        rtnl.AddAddress(bridge.Index, settings.Gateway, settings.PrefixLength, existingOk: true);
        if (!bridge.Up) rtnl.SetUp(bridge.Index);
    }

    /// <summary>Deletes the bridge; its ports are detached, not deleted. False when it did not exist.</summary>
    public bool RemoveBridge(string name)
    {
        using var rtnl = RouteNetlink.Open();
        return rtnl.DeleteLink(name, missingOk: true);
    }

    /// <summary>
    /// Creates the endpoint's veth pair in one request (host end on the bridge and up; container end inside the
    /// namespace with its name, MAC and MTU), then inside the namespace brings it up, adds the address and, when a
    /// gateway is given, the default route. On any failure the host end is deleted, which deletes its peer: nothing is left.
    /// A host interface name already in use fails with EEXIST and leaves that link alone.
    /// </summary>
    public void ConnectEndpoint(EndpointLink link)
    {
        if (link.MacAddress.Length != 6) throw new ArgumentException($"a MAC address has 6 bytes, not {link.MacAddress.Length}", nameof(link));
        using var netns = FileDescriptors.Open(link.NetnsPath, OpenFlags.ReadOnly);
        using var host = RouteNetlink.Open();
        var bridgeIndex = host.LinkIndex(link.BridgeName);
        host.CreateVeth(
            new LinkSettings(link.HostInterface) { Mtu = link.Mtu, MasterIndex = bridgeIndex, Up = true },
            new LinkSettings(link.ContainerInterface) { Mtu = link.Mtu, MacAddress = link.MacAddress, Namespace = netns });
        try
        {
            using var inside = NamespaceSocket.Open(netns, link.NetnsPath);
            var index = inside.LinkIndex(link.ContainerInterface);
            inside.SetUp(index);
            inside.AddAddress(index, link.Address, link.PrefixLength);
            if (link.Gateway is { } gateway) inside.AddDefaultRoute(gateway, index);
        }
        catch
        {
            DeleteQuietly(host, link.HostInterface);
            throw;
        }
    }

    /// <summary>
    /// Deletes the endpoint's host end, and with it the container end. False when it did not exist (already removed,
    /// or gone with its namespace). The kernel's device teardown waits for an RCU grace period (10-20 ms on the test
    /// machines, as <c>ip link del</c>): when the container's namespace goes away anyway (stop, rm), releasing the
    /// namespace is enough and costs about 1 ms, the kernel deleting the pair in the background.
    /// </summary>
    public bool DisconnectEndpoint(string hostInterface)
    {
        using var rtnl = RouteNetlink.Open();
        return rtnl.DeleteLink(hostInterface, missingOk: true);
    }

    /// <summary>The host's veth interfaces whose names start with <paramref name="prefix"/>: after a crash, the
    /// daemon deletes those no known endpoint owns. The prefix must be Berth's own: Docker's are "veth" and 7 hex.</summary>
    public IReadOnlyList<string> ListHostInterfaces(string prefix)
    {
        using var rtnl = RouteNetlink.Open();
        return [.. rtnl.ListLinks().Where(l => l.Kind == VethKind && l.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l.Name)];
    }

    private static void DeleteQuietly(RouteNetlink host, string name)
    {
        try
        {
            host.DeleteLink(name, missingOk: true);
        }
        catch (LinuxException)
        {
            // the first failure is the one to report; a leftover veth is found by ListHostInterfaces later
        }
    }
}
