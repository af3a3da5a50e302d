using System.Collections.Concurrent;
using System.Net;
using Berth.Engine.Networks;
using Berth.Network.Bridge;
using Berth.Network.Dns;
using Berth.Network.Ports;

namespace Berth.Engine.Tests.Fakes;

/// <summary>The host's network side in memory: what exists (namespaces, bridges, veths, DNS servers, forwards), and failures on demand.</summary>
public sealed class FakeNetworkHost : INetworkHost
{
    public ConcurrentDictionary<string, bool> Namespaces { get; } = new();
    public ConcurrentDictionary<string, BridgeSpec> Bridges { get; } = new();
    public ConcurrentDictionary<string, EndpointLink> Links { get; } = new();
    public ConcurrentDictionary<string, IDnsNames> DnsServers { get; } = new();
    public ConcurrentDictionary<(IPAddress, int, string), PortMapping> Forwards { get; } = new();
    public List<IPNetwork> Routes { get; } = [];
    public string? FailNextConnect { get; set; }
    /// <summary>Host ports that are "in use by another process".</summary>
    public HashSet<int> BusyPorts { get; } = [];
    private int _nextPort = 32768;

    public void CreateNamespace(string path) => Namespaces[path] = true;
    /// <summary>As the kernel does: the namespace's veth pairs go with it.</summary>
    public void RemoveNamespace(string path)
    {
        Namespaces.TryRemove(path, out _);
        foreach (var link in Links.Where(l => l.Value.NetnsPath == path)) Links.TryRemove(link.Key, out _);
    }
    public void EnsureBridge(BridgeSpec bridge) => Bridges[bridge.Name] = bridge;
    public void RemoveBridge(BridgeSpec bridge) => Bridges.TryRemove(bridge.Name, out _);
    public IReadOnlyList<IPNetwork> HostRoutes() => Routes;

    public void Connect(EndpointLink endpoint)
    {
        if (FailNextConnect is { } message)
        {
            FailNextConnect = null;
            throw new InvalidOperationException(message);
        }
        if (!Links.TryAdd(endpoint.HostInterface, endpoint)) throw new InvalidOperationException($"{endpoint.HostInterface} exists");
    }

    public void Disconnect(string hostInterface) => Links.TryRemove(hostInterface, out _);

    public IAsyncDisposable StartDns(string netnsPath, IDnsNames names, IReadOnlyList<IPAddress> servers)
    {
        DnsServers[netnsPath] = names;
        return new Release(() => DnsServers.TryRemove(netnsPath, out _));
    }

    public IPortForward Forward(PortMapping port)
    {
        var hostPort = port.HostPort == 0 ? Interlocked.Increment(ref _nextPort) : port.HostPort;
        var key = (port.HostIp, hostPort, port.Protocol);
        if (BusyPorts.Contains(hostPort) || !Forwards.TryAdd(key, port with { HostPort = hostPort }))
            throw new InvalidOperationException($"Bind for {port.HostIp}:{hostPort} failed: port is already allocated");
        return new ActiveForward(hostPort, () => Forwards.TryRemove(key, out _));
    }

    private sealed class Release(Action release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            release();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ActiveForward(int hostPort, Action release) : IPortForward
    {
        public int HostPort => hostPort;

        public ValueTask DisposeAsync()
        {
            release();
            return ValueTask.CompletedTask;
        }
    }
}
