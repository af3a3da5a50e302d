using System.Net;
using System.Security.Cryptography;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Network.Bridge;
using Berth.Network.Ipam;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>Per running container: its DNS server and port forwards, released by <see cref="DetachAsync"/>.</summary>
    private readonly Dictionary<string, List<IAsyncDisposable>> _services = [];

    /// <summary>
    /// At create: the network mode as stored (<c>default</c> becomes <c>bridge</c>) and the container's endpoints,
    /// checked as Docker checks them (the networks exist; aliases and static addresses only on user networks).
    /// </summary>
    public (string Mode, Dictionary<string, ContainerEndpoint> Endpoints) PlanEndpoints(
        string networkMode, IReadOnlyDictionary<string, EndpointRequest> requests)
    {
        var mode = networkMode is "" or NetworkNames.Default ? NetworkNames.Bridge : networkMode;
        var endpoints = new Dictionary<string, ContainerEndpoint>();
        var others = requests.Keys.Where(k => k != NetworkNames.Default && k != mode).ToList();
        if (mode.StartsWith("container:", StringComparison.Ordinal) || mode is NetworkNames.None or NetworkNames.Host)
        {
            if (others.Count > 0)
                throw Invalid("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
            if (mode is NetworkNames.None or NetworkNames.Host) endpoints[mode] = new ContainerEndpoint { NetworkId = Get(mode).Id };
            return (mode, endpoints);
        }
        var primary = Get(mode);
        var asked = requests.GetValueOrDefault(mode) ?? requests.GetValueOrDefault(NetworkNames.Default)
            ?? requests.GetValueOrDefault(primary.Name) ?? new EndpointRequest();
        endpoints[primary.Name] = PlanEndpoint(primary, asked);
        foreach (var key in others)
        {
            var network = Get(key);
            if (!network.IsBridge)
                throw Invalid("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
            endpoints[network.Name] = PlanEndpoint(network, requests[key]);
        }
        return (primary.Name == mode || primary.Id == mode ? primary.Name : mode, endpoints);
    }

    private static ContainerEndpoint PlanEndpoint(NetworkRecord network, EndpointRequest request)
    {
        var userDefined = network.IsBridge && !network.IsPredefined;
        if (request.Aliases.Count > 0 && !userDefined)
            throw Invalid("network-scoped alias is supported only for containers in user defined networks");
        if (request.IPv4Address is not "")
        {
            if (!userDefined) throw Invalid("user specified IP address is supported on user defined networks only");
            if (!network.SubnetGiven) throw Invalid("user specified IP address is supported only when connecting to networks with user configured subnets");
            if (!IPAddress.TryParse(request.IPv4Address, out var address) || address.AddressFamily != global::System.Net.Sockets.AddressFamily.InterNetwork)
                throw Invalid($"invalid IPv4 address: {request.IPv4Address}");
            if (!Ipv4.TryParseSubnet(network.Subnet, out var subnet) || !subnet.Contains(address))
                throw Invalid($"no configured subnet or ip-range contain the IP address {request.IPv4Address}");
        }
        if (request.MacAddress is not "" && ParseMac(request.MacAddress) is null) throw Invalid($"invalid MAC address: {request.MacAddress}");
        return new ContainerEndpoint
        {
            NetworkId = network.Id,
            Aliases = [.. request.Aliases],
            Links = [.. request.Links],
            RequestedAddress = request.IPv4Address,
            RequestedMac = request.MacAddress,
            DriverOpts = new Dictionary<string, string>(request.DriverOpts),
        };
    }

    /// <summary>
    /// At start, in the container's own namespace: an endpoint on each of its bridge networks (the first one, its
    /// network mode's, is eth0 and has the default route), the DNS server when one is a user-defined network, and the
    /// published ports. All or nothing: on failure what was made is released before the error is thrown.
    /// </summary>
    public async Task AttachAsync(Container container, string netnsPath, IReadOnlyCollection<string> exposedPorts)
    {
        try
        {
            var index = 0;
            foreach (var (name, endpoint) in InOrder(container))
            {
                if (!IsBridge(endpoint.NetworkId, name)) continue;
                Wire(container, endpoint, netnsPath, index, primary: index == 0);
                index++;
            }
            var services = new List<IAsyncDisposable>();
            lock (_lock) _services[container.Id] = services;
            if (NeedsDns(container)) services.Add(new DnsMarker(_host.StartDns(netnsPath, new ContainerNameView(this, container.Id), DnsServers(container))));
            var published = Publish(container, exposedPorts, services, restoring: null);
            lock (container.Lock) container.Ports = published;
        }
        catch
        {
            await DetachAsync(container);
            throw;
        }
    }

    /// <summary>
    /// Releases what <see cref="AttachAsync"/> made (and what a crash left of it, from the persisted endpoint
    /// states): DNS server and forwards, addresses, and the veth pairs unless <paramref name="namespaceGoes"/> (the
    /// caller removes the namespace next, which takes its pairs at a fraction of the cost). Never throws; each failure is logged.
    /// </summary>
    public async Task DetachAsync(Container container, bool namespaceGoes = false)
    {
        List<IAsyncDisposable>? services;
        lock (_lock) _services.Remove(container.Id, out services);
        foreach (var service in services ?? [])
        {
            try
            {
                await service.DisposeAsync();
            }
            catch (Exception e)
            {
                LogReleaseFailed(_logger, container.Id, "a network service", e);
            }
        }
        foreach (var (_, endpoint) in InOrder(container)) Unwire(container, endpoint, deleteLink: !namespaceGoes);
        lock (container.Lock) container.Ports = [];
    }

    /// <summary>
    /// At daemon start, for a container still running: its addresses are taken again, its names known, and its DNS
    /// server and port forwards (which lived in the previous daemon) started again. Failures are logged.
    /// </summary>
    public async Task RestoreAsync(Container container, string netnsPath)
    {
        foreach (var (_, endpoint) in InOrder(container))
        {
            if (endpoint.State is not { } state) continue;
            lock (_lock)
            {
                if (!_networks.TryGetValue(endpoint.NetworkId, out var network)) continue;
                try
                {
                    network.Addresses?.Reserve(IPAddress.Parse(state.Address));
                }
                catch (AddressException e)
                {
                    LogReleaseFailed(_logger, container.Id, "its address " + state.Address, e);
                }
                network.Members[container.Id] = MemberOf(container, endpoint, network.Record, state);
            }
        }
        var services = new List<IAsyncDisposable>();
        lock (_lock) _services[container.Id] = services;
        try
        {
            if (NeedsDns(container)) services.Add(new DnsMarker(_host.StartDns(netnsPath, new ContainerNameView(this, container.Id), DnsServers(container))));
            List<PublishedPort> previous;
            lock (container.Lock) previous = [.. container.Ports];
            var published = Publish(container, [], services, previous);
            lock (container.Lock) container.Ports = published;
        }
        catch (Exception e)
        {
            LogReleaseFailed(_logger, container.Id, "restoring its DNS server and published ports", e);
        }
    }

    /// <summary>
    /// <c>network connect</c>: a new endpoint, wired at once when the container runs. As in Docker, the
    /// <c>connect</c> and <c>disconnect</c> events come when an endpoint is wired and released.
    /// </summary>
    public NetworkRecord Connect(Container container, string idOrName, EndpointRequest request, string? netnsPath)
    {
        var network = Get(idOrName);
        var mode = container.HostConfig.NetworkMode;
        if (mode is NetworkNames.Host || network.Driver == NetworkRecord.HostDriver)
            throw new EngineException(ErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network");
        if (mode is NetworkNames.None || mode.StartsWith("container:", StringComparison.Ordinal) || network.Driver == NetworkRecord.NullDriver)
            throw new EngineException(ErrorKind.Forbidden, "container sharing network namespace with another container or host cannot be connected to any other network");
        var endpoint = PlanEndpoint(network, request);
        lock (container.Lock)
        {
            if (container.Networks.ContainsKey(network.Name))
                throw new EngineException(ErrorKind.Forbidden, $"endpoint with name {container.Name.TrimStart('/')} already exists in network {network.Name}");
            container.Networks[network.Name] = endpoint;
        }
        if (netnsPath is not null)
        {
            try
            {
                Wire(container, endpoint, netnsPath, NextInterfaceIndex(container), primary: false);
                if (network.HasEmbeddedDns) EnsureDns(container, netnsPath);
            }
            catch
            {
                lock (container.Lock) container.Networks.Remove(network.Name);
                throw;
            }
        }
        return network;
    }

    /// <summary><c>network disconnect</c>: the endpoint released, and forgotten.</summary>
    public void Disconnect(Container container, string idOrName)
    {
        NetworkRecord? network;
        lock (_lock) network = _networks.Values.Select(n => n.Record).FirstOrDefault(n => n.Id == idOrName || n.Name == idOrName);
        network ??= Get(idOrName);
        ContainerEndpoint? endpoint;
        lock (container.Lock) container.Networks.TryGetValue(network.Name, out endpoint);
        if (endpoint is null)
            throw new EngineException(ErrorKind.Forbidden, $"container {container.Id} is not connected to network {network.Name}");
        if (network.Driver is NetworkRecord.HostDriver)
            throw new EngineException(ErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network");
        Unwire(container, endpoint, deleteLink: true);
        lock (container.Lock) container.Networks.Remove(network.Name);
    }

    /// <summary>The names a container on a user-defined network is found by there (v1.44 <c>DNSNames</c>).</summary>
    public static IReadOnlyList<string> DnsNamesOf(Container container, ContainerEndpoint endpoint, bool embeddedDns)
    {
        if (!embeddedDns) return [];
        var names = new List<string> { container.Name.TrimStart('/') };
        names.AddRange(endpoint.Aliases);
        names.Add(container.ShortId);
        if (container.Config.Hostname is { Length: > 0 } hostname && hostname != container.ShortId) names.Add(hostname);
        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The container's endpoints with its network mode's first, the others by name (eth0, eth1…).</summary>
    private static List<(string Name, ContainerEndpoint Endpoint)> InOrder(Container container)
    {
        lock (container.Lock)
            return [.. container.Networks
                .OrderBy(e => e.Key == container.HostConfig.NetworkMode ? 0 : 1).ThenBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => (e.Key, e.Value))];
    }

    /// <summary>The container's <c>--dns</c> servers: where its DNS server forwards (the host's when none).</summary>
    private static List<IPAddress> DnsServers(Container container) =>
        [.. container.HostConfig.Dns.Select(d => IPAddress.TryParse(d, out var a) ? a : null).OfType<IPAddress>()];

    /// <summary>The lowest ethN the container's namespace does not have yet.</summary>
    private static int NextInterfaceIndex(Container container)
    {
        var used = InOrder(container).Select(e => e.Endpoint.State?.ContainerInterface).ToHashSet();
        return Enumerable.Range(0, 64).First(i => !used.Contains($"eth{i}"));
    }

    private bool IsBridge(string networkId, string name)
    {
        lock (_lock)
        {
            if (_networks.TryGetValue(networkId, out var network)) return network.Record.IsBridge;
        }
        throw new EngineException(ErrorKind.NotFound, $"network {name} not found");
    }

    private bool NeedsDns(Container container)
    {
        lock (_lock)
            return InOrder(container).Any(e => _networks.TryGetValue(e.Endpoint.NetworkId, out var n) && n.Record.HasEmbeddedDns);
    }

    private void EnsureDns(Container container, string netnsPath)
    {
        lock (_lock)
        {
            if (!_services.TryGetValue(container.Id, out var services)) _services[container.Id] = services = [];
            if (services.OfType<DnsMarker>().Any()) return;
        }
        var dns = _host.StartDns(netnsPath, new ContainerNameView(this, container.Id), DnsServers(container));
        lock (_lock) _services[container.Id].Add(new DnsMarker(dns));
    }

    /// <summary>An address from the network (the static one if asked), and the veth pair into the namespace.</summary>
    private void Wire(Container container, ContainerEndpoint endpoint, string netnsPath, int index, bool primary)
    {
        NetworkRecord record;
        IPAddress address;
        lock (_lock)
        {
            var network = _networks.GetValueOrDefault(endpoint.NetworkId)
                ?? throw new EngineException(ErrorKind.NotFound, $"network {endpoint.NetworkId} not found");
            record = network.Record;
            try
            {
                if (endpoint.RequestedAddress is "") address = network.Addresses!.Allocate();
                else network.Addresses!.Reserve(address = IPAddress.Parse(endpoint.RequestedAddress));
            }
            catch (AddressException e)
            {
                throw new EngineException(ErrorKind.Forbidden, e.Message, e);
            }
        }
        var mac = ParseMac(endpoint.RequestedMac) ?? MacAddresses.FromIPv4(address);
        var subnet = Ipv4.TryParseSubnet(record.Subnet, out var s) ? s : default;
        var state = new EndpointState(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), address.ToString(), subnet.PrefixLength, record.Gateway,
            MacAddresses.Format(mac), NewHostInterface(), $"eth{index}");
        try
        {
            _host.Connect(new EndpointLink(record.BridgeName, netnsPath, state.HostInterface, state.ContainerInterface, address, subnet.PrefixLength,
                primary && !record.Internal ? IPAddress.Parse(record.Gateway) : null, mac, record.Mtu));
        }
        catch
        {
            lock (_lock) _networks.GetValueOrDefault(endpoint.NetworkId)?.Addresses?.Release(address);
            throw;
        }
        lock (_lock)
        {
            lock (container.Lock) endpoint.State = state;
            if (_networks.TryGetValue(endpoint.NetworkId, out var network))
                network.Members[container.Id] = MemberOf(container, endpoint, record, state);
        }
        Publish(record, "connect", new Dictionary<string, string> { ["container"] = container.Id });
    }

    private void Unwire(Container container, ContainerEndpoint endpoint, bool deleteLink)
    {
        EndpointState? state;
        lock (container.Lock) state = endpoint.State;
        if (state is null) return;
        try
        {
            if (deleteLink) _host.Disconnect(state.HostInterface);
        }
        catch (Exception e)
        {
            LogReleaseFailed(_logger, container.Id, "its interface " + state.HostInterface, e);
        }
        NetworkRecord? record = null;
        lock (_lock)
        {
            if (_networks.TryGetValue(endpoint.NetworkId, out var network))
            {
                network.Addresses?.Release(IPAddress.Parse(state.Address));
                network.Members.Remove(container.Id);
                record = network.Record;
            }
        }
        lock (container.Lock) endpoint.State = null;
        if (record is not null) Publish(record, "disconnect", new Dictionary<string, string> { ["container"] = container.Id });
    }

    private static NetworkMember MemberOf(Container container, ContainerEndpoint endpoint, NetworkRecord network, EndpointState state) =>
        new(container.Id, container.Name.TrimStart('/'), DnsNamesOf(container, endpoint, network.HasEmbeddedDns),
            new EndpointStateView(state.EndpointId, IPAddress.Parse(state.Address), state.PrefixLength, state.MacAddress), [.. endpoint.Links]);

    /// <summary>
    /// The host end of a veth pair: "vb" and 10 random hex digits (IFNAMSIZ holds 15), new for each endpoint, because
    /// the pair of the previous run may still be on its way out of the kernel; never Docker's "veth" prefix.
    /// </summary>
    private static string NewHostInterface() => "vb" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    private static byte[]? ParseMac(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 6) return null;
        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
            if (!byte.TryParse(parts[i], global::System.Globalization.NumberStyles.HexNumber, null, out bytes[i]) || parts[i].Length != 2) return null;
        return bytes;
    }

    /// <summary>A DNS server started by <c>network connect</c>, so that a second connect does not start another.</summary>
    private sealed class DnsMarker(IAsyncDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "container {Id}: releasing {What} failed")]
    private static partial void LogReleaseFailed(ILogger logger, string id, string what, Exception error);
}
