using System.Globalization;
using System.Net;
using Berth.Network;
using Berth.Network.Bridge;
using Berth.Network.Dns;
using Berth.Network.Ports;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

/// <summary>
/// The host's network side for real: namespace files, bridges and veth pairs over netlink, iptables rules at network
/// create and remove (never per container), DNS servers inside containers' namespaces and in-process port proxies.
/// </summary>
public sealed class KernelNetworkHost(ILogger<KernelNetworkHost> logger) : INetworkHost
{
    private readonly BridgeDriver _bridges = new();
    private readonly BridgeFirewall _firewall = new();
    private readonly HostPortAllocator _ports = HostPortAllocator.FromKernel();

    public void CreateNamespace(string path) => NetworkNamespaceFile.Create(path);

    public void RemoveNamespace(string path) => NetworkNamespaceFile.Remove(path);

    public void EnsureBridge(BridgeSpec bridge)
    {
        _bridges.EnsureBridge(new BridgeSettings(bridge.Name, bridge.Gateway, bridge.Subnet.PrefixLength, bridge.Mtu));
        _firewall.AddAsync(Firewall(bridge)).GetAwaiter().GetResult();
    }

    public void RemoveBridge(BridgeSpec bridge)
    {
        _firewall.RemoveAsync(Firewall(bridge)).GetAwaiter().GetResult();
        _bridges.RemoveBridge(bridge.Name);
    }

    /// <summary>The destinations of the main routing table (<c>/proc/net/route</c>), default route excluded.</summary>
    public IReadOnlyList<IPNetwork> HostRoutes()
    {
        var routes = new List<IPNetwork>();
        foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
        {
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length < 8) continue;
            // Destination and mask are hex in the kernel's (little-endian) byte order.
            var destination = uint.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mask = uint.Parse(fields[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (mask == 0) continue;
            routes.Add(new IPNetwork(new IPAddress(destination), global::System.Numerics.BitOperations.PopCount(mask)));
        }
        return routes;
    }

    public void Connect(EndpointLink endpoint) => _bridges.ConnectEndpoint(endpoint);

    public void Disconnect(string hostInterface) => _bridges.DisconnectEndpoint(hostInterface);

    public IAsyncDisposable StartDns(string netnsPath, IDnsNames names, IReadOnlyList<IPAddress> servers) =>
        EmbeddedDns.Start(netnsPath, names, HostResolvers.Upstreams(servers.Count > 0 ? servers : HostResolvers.Read()), logger);

    public IPortForward Forward(PortMapping port) => new ProxyForward(PortProxy.Start(port, _ports, logger));

    private static FirewallNetwork Firewall(BridgeSpec bridge) => new(bridge.Name, bridge.Subnet, bridge.Internal);

    private sealed class ProxyForward(PortProxy proxy) : IPortForward
    {
        public int HostPort => proxy.Mapping.HostPort;

        public ValueTask DisposeAsync() => proxy.DisposeAsync();
    }
}
