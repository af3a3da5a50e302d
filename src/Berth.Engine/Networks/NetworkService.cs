using System.Net;
using System.Security.Cryptography;
using Berth.Engine.Events;
using Berth.Engine.Store;
using Berth.Network.Ipam;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

/// <summary>
/// Docker's networks: the predefined <c>bridge</c>, <c>host</c> and <c>none</c>, and user-defined bridge networks,
/// each with its Linux bridge, its firewall rules and its address space. Containers' endpoints (the veth pairs, their
/// addresses, the DNS names and published ports) are made here when a container starts and released when its run
/// is (<see cref="AttachAsync"/>, <see cref="DetachAsync"/>). Endpoints live only while their container runs, as
/// in Docker; addresses are given again at each start unless static.
/// </summary>
public sealed partial class NetworkService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LiveNetwork> _networks = [];
    private readonly RecordTable<NetworkRecord> _repository;
    private readonly INetworkHost _host;
    private readonly EventService _events;
    private readonly NetworkOptions _options;
    private readonly ILogger<NetworkService> _logger;

    public NetworkService(EngineDatabase database, INetworkHost host, EventService events, NetworkOptions options, ILogger<NetworkService> logger)
    {
        _repository = new RecordTable<NetworkRecord>(database, "networks", "id", named: true, EngineJsonContext.Default.NetworkRecord);
        _host = host;
        _events = events;
        _options = options;
        _logger = logger;
        foreach (var record in _repository.LoadAll()) _networks[record.Id] = new LiveNetwork(record);
    }

    /// <summary>
    /// At daemon start, before containers are restored: makes the predefined networks (the default bridge again
    /// from <c>--bip</c>, which may have changed), and the bridges and rules of every bridge network (a reboot
    /// removes them). A default bridge that cannot be made stops the daemon; another network's failure is logged.
    /// </summary>
    public void Initialize()
    {
        EnsurePredefined(NetworkNames.None, NetworkRecord.NullDriver);
        EnsurePredefined(NetworkNames.Host, NetworkRecord.HostDriver);
        EnsureDefaultBridge();
        foreach (var network in Snapshot().Where(n => n.IsBridge && n.Name != NetworkNames.Bridge))
        {
            try
            {
                _host.EnsureBridge(BridgeOf(network));
            }
            catch (Exception e)
            {
                LogBridgeFailed(_logger, network.Name, e);
            }
        }
    }

    /// <summary>The host side: namespaces, bridges, veths, DNS servers, port forwards.</summary>
    public INetworkHost Host => _host;

    public IReadOnlyList<NetworkRecord> Snapshot()
    {
        lock (_lock) return [.. _networks.Values.Select(n => n.Record)];
    }

    /// <summary>Docker's lookup: full id, exact name, then a unique id prefix; 404 <c>network x not found</c>.</summary>
    public NetworkRecord Get(string idOrName)
    {
        lock (_lock) return Find(idOrName).Record;
    }

    /// <summary>The containers with a live endpoint on the network, with their endpoint.</summary>
    public IReadOnlyList<NetworkMember> Members(string networkId)
    {
        lock (_lock) return _networks.TryGetValue(networkId, out var n) ? [.. n.Members.Values] : [];
    }

    public NetworkRecord Create(NetworkCreate request)
    {
        var name = request.Name;
        if (string.IsNullOrWhiteSpace(name)) throw Invalid("network name must not be empty");
        if (name is NetworkNames.Bridge or NetworkNames.Host or NetworkNames.None)
            throw new EngineException(ErrorKind.Forbidden, $"{name} is a pre-defined network and cannot be created");
        var driver = request.Driver is "" ? NetworkRecord.BridgeDriver : request.Driver;
        if (driver is NetworkRecord.HostDriver or NetworkRecord.NullDriver)
            throw new EngineException(ErrorKind.Forbidden, $"only one instance of \"{driver}\" network is allowed");
        if (driver != NetworkRecord.BridgeDriver) throw new EngineException(ErrorKind.NotFound, $"plugin \"{driver}\" not found");
        if (request.IpamDriver is not ("" or "default")) throw new EngineException(ErrorKind.NotFound, $"plugin \"{request.IpamDriver}\" not found");
        if (request.EnableIPv6) throw Invalid("IPv6 networks are not supported by Berth yet");
        if (!request.EnableIPv4) throw Invalid("networks without IPv4 are not supported by Berth");
        if (request.Ingress) throw new EngineException(ErrorKind.Forbidden, "ingress networks need swarm mode, which Berth does not have");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var bridgeName = request.Options.GetValueOrDefault(BridgeOptions.Name) ?? "br-" + id[..12];
        if (bridgeName.Length is 0 or > 15) throw Invalid($"invalid bridge name \"{bridgeName}\": at most 15 characters");
        var mtu = request.Options.TryGetValue(BridgeOptions.Mtu, out var mtuText)
            ? int.TryParse(mtuText, out var m) && m is >= 68 and <= 65535 ? m : throw Invalid($"invalid MTU \"{mtuText}\"")
            : _options.Mtu;

        NetworkRecord record;
        lock (_lock)
        {
            if (_networks.Values.Any(n => n.Record.Name == name))
                throw new EngineException(ErrorKind.Conflict, $"network with name {name} already exists");
            if (_networks.Values.Any(n => n.Record.BridgeName == bridgeName))
                throw new EngineException(ErrorKind.Conflict, $"bridge name {bridgeName} is already used by another network");
            var (subnet, range, gateway, aux, given) = AddressesFor(request.Pools);
            record = new NetworkRecord
            {
                Id = id, Name = name, Driver = driver, Created = DateTime.UtcNow,
                Internal = request.Internal, Attachable = request.Attachable,
                Subnet = subnet.ToString(), IPRange = range?.ToString() ?? "", Gateway = gateway.ToString(), SubnetGiven = given,
                AuxAddresses = aux, IpamOptions = request.IpamOptions, Options = request.Options, Labels = request.Labels,
                BridgeName = bridgeName, Mtu = mtu,
            };
            // Reserved here, so that a concurrent create does not pick the same subnet; dropped again on failure.
            _networks[id] = new LiveNetwork(record);
        }
        try
        {
            _host.EnsureBridge(BridgeOf(record));
            _repository.Save(record.Id, record.Name, record);
        }
        catch
        {
            lock (_lock) _networks.Remove(id);
            TryRemoveBridge(record);
            throw;
        }
        Publish(record, "create");
        return record;
    }

    public void Remove(string idOrName)
    {
        NetworkRecord record;
        lock (_lock)
        {
            var network = Find(idOrName);
            record = network.Record;
            if (record.IsPredefined)
                throw new EngineException(ErrorKind.Forbidden, $"{record.Name} is a pre-defined network and cannot be removed");
            if (network.Members.Count > 0)
                throw new EngineException(ErrorKind.Forbidden,
                    $"error while removing network: network {record.Name} id {record.Id} has active endpoints");
            _networks.Remove(record.Id);
        }
        _repository.Delete(record.Id);
        TryRemoveBridge(record);
        Publish(record, "destroy");
    }

    /// <summary><c>network prune</c>: user-defined networks without endpoints, filtered by until and labels.</summary>
    public IReadOnlyList<string> Prune(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        var filter = PruneFilter.Parse(filters, DateTimeOffset.Now);
        var removed = new List<string>();
        foreach (var network in Snapshot().Where(n => !n.IsPredefined && filter.Matches(n.Labels, n.Created)))
        {
            try
            {
                Remove(network.Id);
                removed.Add(network.Name);
            }
            catch (EngineException e) when (e.Kind is ErrorKind.Forbidden or ErrorKind.NotFound)
            {
                // in use, or removed meanwhile
            }
        }
        _events.Publish("network", "prune", "", new Dictionary<string, string> { ["reclaimed"] = "0" });
        return removed;
    }

    private LiveNetwork Find(string idOrName)
    {
        if (_networks.TryGetValue(idOrName, out var byId)) return byId;
        var byName = _networks.Values.FirstOrDefault(n => n.Record.Name == idOrName);
        if (byName is not null) return byName;
        if (idOrName.Length > 0 && idOrName.All(Uri.IsHexDigit))
        {
            var matches = _networks.Values.Where(n => n.Record.Id.StartsWith(idOrName, StringComparison.Ordinal)).Take(2).ToList();
            if (matches.Count == 2) throw Invalid($"network {idOrName} is ambiguous ({matches.Count} matches found based on ID prefix)");
            if (matches.Count == 1) return matches[0];
        }
        throw new EngineException(ErrorKind.NotFound, $"network {idOrName} not found");
    }

    /// <summary>
    /// The subnet, range, gateway and auxiliary addresses of a new network: as asked, checked against the other
    /// networks; or the first free subnet of the pools that overlaps neither another network nor a host route.
    /// </summary>
    private (IPNetwork Subnet, IPNetwork? Range, IPAddress Gateway, Dictionary<string, string> Aux, bool Given) AddressesFor(
        IReadOnlyList<IpamRequest> pools)
    {
        var taken = _networks.Values.Where(n => n.Addresses is not null).Select(n => n.Addresses!.Subnet).ToList();
        if (pools.Count > 1) throw Invalid("Berth networks have one IPv4 subnet: give at most one --subnet");
        if (pools.Count == 0 || pools[0].Subnet is "")
        {
            if (pools.Count == 1 && (pools[0].IPRange is not "" || pools[0].Gateway is not ""))
                throw Invalid("invalid pool request: ip-range and gateway need a subnet");
            var picked = AddressPool.PickFree(_options.AddressPools, [.. taken, .. HostRoutesSafe()])
                ?? throw Invalid("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
            return (picked, null, FirstHost(picked), [], false);
        }
        var pool = pools[0];
        if (!Ipv4.TryParseSubnet(pool.Subnet, out var subnet)) throw Invalid($"invalid CIDR address: {pool.Subnet}");
        if (taken.Any(t => Ipv4.Overlaps(t, subnet)))
            throw new EngineException(ErrorKind.Forbidden, "invalid pool request: Pool overlaps with other one on this address space");
        IPNetwork? range = null;
        if (pool.IPRange is not "")
        {
            if (!Ipv4.TryParseSubnet(pool.IPRange, out var r)) throw Invalid($"invalid CIDR address: {pool.IPRange}");
            if (!subnet.Contains(r.BaseAddress) || r.PrefixLength < subnet.PrefixLength)
                throw Invalid($"invalid ip-range {pool.IPRange}: it must be inside subnet {subnet}");
            range = r;
        }
        IPAddress gateway;
        if (pool.Gateway is "") gateway = FirstHost(subnet);
        else if (!IPAddress.TryParse(pool.Gateway, out gateway!) || !subnet.Contains(gateway))
            throw Invalid($"no matching subnet for gateway {pool.Gateway}");
        var aux = new Dictionary<string, string>();
        foreach (var (key, value) in pool.AuxAddresses)
        {
            if (!IPAddress.TryParse(value, out var address) || !subnet.Contains(address))
                throw Invalid($"no matching subnet for aux-address {value}");
            aux[key] = value;
        }
        return (subnet, range, gateway, aux, true);
    }

    private IReadOnlyList<IPNetwork> HostRoutesSafe()
    {
        try
        {
            // Our own bridges are routes too: they are networks already, so they are not in the way of themselves.
            var ours = _networks.Values.Select(n => n.Record.Subnet).ToHashSet();
            return [.. _host.HostRoutes().Where(r => !ours.Contains(r.ToString()))];
        }
        catch (Exception e)
        {
            LogRoutesFailed(_logger, e);
            return [];
        }
    }

    private static IPAddress FirstHost(IPNetwork subnet) => Ipv4.FromNumber(Ipv4.Bounds(subnet).First + 1);

    private void EnsurePredefined(string name, string driver)
    {
        lock (_lock)
            if (_networks.Values.Any(n => n.Record.Name == name)) return;
        var record = new NetworkRecord
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Name = name, Driver = driver, Created = DateTime.UtcNow,
        };
        _repository.Save(record.Id, record.Name, record);
        lock (_lock) _networks[record.Id] = new LiveNetwork(record);
    }

    /// <summary>The default bridge: <c>--bip</c>, or its last subnet, or a free one of the pools; made again at each start.</summary>
    private void EnsureDefaultBridge()
    {
        LiveNetwork? existing;
        lock (_lock) existing = _networks.Values.FirstOrDefault(n => n.Record.Name == NetworkNames.Bridge);
        IPNetwork subnet;
        IPAddress gateway;
        if (_options.Bip is { } bip)
        {
            if (!Ipv4.TryParseHostCidr(bip, out gateway, out subnet)) throw Invalid($"invalid --bip \"{bip}\": an address and prefix are needed, e.g. 172.17.0.1/16");
        }
        else if (existing is not null && existing.Record.BridgeName == _options.DefaultBridge && Ipv4.TryParseSubnet(existing.Record.Subnet, out subnet))
        {
            gateway = IPAddress.Parse(existing.Record.Gateway);
        }
        else
        {
            List<IPNetwork> taken;
            lock (_lock) taken = [.. _networks.Values.Where(n => n.Addresses is not null && n.Record.Name != NetworkNames.Bridge).Select(n => n.Addresses!.Subnet)];
            subnet = AddressPool.PickFree(_options.AddressPools, [.. taken, .. HostRoutesSafe()])
                ?? throw Invalid("no free subnet for the default bridge: give --bip");
            gateway = FirstHost(subnet);
        }
        var record = new NetworkRecord
        {
            Id = existing?.Record.Id ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            Name = NetworkNames.Bridge, Driver = NetworkRecord.BridgeDriver, Created = existing?.Record.Created ?? DateTime.UtcNow,
            Subnet = subnet.ToString(), Gateway = gateway.ToString(), BridgeName = _options.DefaultBridge, Mtu = _options.Mtu,
            Options = new Dictionary<string, string>
            {
                [BridgeOptions.DefaultBridge] = "true",
                [BridgeOptions.Icc] = "true",
                [BridgeOptions.Masquerade] = "true",
                [BridgeOptions.HostBinding] = "0.0.0.0",
                [BridgeOptions.Name] = _options.DefaultBridge,
                [BridgeOptions.Mtu] = _options.Mtu.ToString(),
            },
        };
        _host.EnsureBridge(BridgeOf(record));
        if (existing is null || existing.Record != record)
        {
            if (existing is not null) _repository.Delete(existing.Record.Id);
            _repository.Save(record.Id, record.Name, record);
        }
        lock (_lock) _networks[record.Id] = new LiveNetwork(record);
    }

    private static BridgeSpec BridgeOf(NetworkRecord n) => new(
        n.BridgeName, Network.Ipam.Ipv4.TryParseSubnet(n.Subnet, out var s) ? s : throw new InvalidOperationException($"network {n.Name} has no subnet"),
        IPAddress.Parse(n.Gateway), n.Mtu, n.Internal);

    private void TryRemoveBridge(NetworkRecord record)
    {
        try
        {
            _host.RemoveBridge(BridgeOf(record));
        }
        catch (Exception e)
        {
            LogBridgeRemoveFailed(_logger, record.Name, e);
        }
    }

    private void Publish(NetworkRecord network, string action, IReadOnlyDictionary<string, string>? extra = null)
    {
        var attributes = new Dictionary<string, string> { ["name"] = network.Name, ["type"] = network.Driver };
        if (extra is not null)
            foreach (var (k, v) in extra) attributes[k] = v;
        _events.Publish("network", action, network.Id, attributes);
    }

    private static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "network {Name}: making its bridge failed")]
    private static partial void LogBridgeFailed(ILogger logger, string name, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "network {Name}: removing its bridge failed")]
    private static partial void LogBridgeRemoveFailed(ILogger logger, string name, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "reading the host's routes failed; subnets are checked against networks only")]
    private static partial void LogRoutesFailed(ILogger logger, Exception error);
}

/// <summary>The driver options Docker's bridge driver reads (and shows in inspect).</summary>
public static class BridgeOptions
{
    public const string Name = "com.docker.network.bridge.name";
    public const string Mtu = "com.docker.network.driver.mtu";
    public const string Masquerade = "com.docker.network.bridge.enable_ip_masquerade";
    public const string Icc = "com.docker.network.bridge.enable_icc";
    public const string DefaultBridge = "com.docker.network.bridge.default_bridge";
    public const string HostBinding = "com.docker.network.bridge.host_binding_ipv4";
}

/// <summary>A container with a live endpoint on a network, and the names others find it by there.</summary>
/// <param name="Links">The endpoint's legacy links (<c>container:alias</c>): names only this member resolves.</param>
public sealed record NetworkMember(string ContainerId, string ContainerName, IReadOnlyList<string> DnsNames, EndpointStateView Endpoint,
    IReadOnlyList<string> Links);

/// <summary>The parts of an endpoint <c>network inspect</c> shows.</summary>
public sealed record EndpointStateView(string EndpointId, IPAddress Address, int PrefixLength, string MacAddress);

/// <summary>A network with its address space and its live endpoints (guarded by the service's lock).</summary>
internal sealed class LiveNetwork
{
    public LiveNetwork(NetworkRecord record)
    {
        Record = record;
        if (!record.IsBridge || !Ipv4.TryParseSubnet(record.Subnet, out var subnet)) return;
        IPNetwork? range = Ipv4.TryParseSubnet(record.IPRange, out var r) ? r : null;
        var reserved = record.AuxAddresses.Values.Select(IPAddress.Parse).Append(IPAddress.Parse(record.Gateway));
        Addresses = new AddressSpace(subnet, range, reserved);
    }

    public NetworkRecord Record { get; }
    public AddressSpace? Addresses { get; }
    public Dictionary<string, NetworkMember> Members { get; } = [];
}
