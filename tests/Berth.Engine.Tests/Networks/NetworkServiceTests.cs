using System.Net;
using Berth.Engine.Networks;
using Berth.Engine.Tests.Fakes;
using Berth.Network.Bridge;
using Berth.Network.Dns;
using Berth.Network.Ports;

namespace Berth.Engine.Tests.Networks;

/// <summary>Networks as objects: the predefined ones, create's address choices and checks, removal's rules, filters.</summary>
public sealed class NetworkServiceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-networks-").FullName;
    private readonly FakeNetworkHost _host = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private NetworkService NewService() => Services.Network(_root, _host);

    private static NetworkCreate Named(string name, string subnet = "") =>
        new() { Name = name, Pools = subnet is "" ? [] : [new IpamRequest(subnet, "", "", new Dictionary<string, string>())] };

    [Fact]
    public void The_predefined_networks_exist_and_the_default_bridge_follows_bip()
    {
        var service = NewService();

        Assert.Equal(["bridge", "host", "none"], service.List(new Dictionary<string, IReadOnlyList<string>>()).Select(n => n.Name));
        var bridge = service.Get("bridge");
        Assert.Equal(("10.213.0.0/24", "10.213.0.1", "berth0"), (bridge.Subnet, bridge.Gateway, bridge.BridgeName));
        Assert.Equal(IPAddress.Parse("10.213.0.1"), _host.Bridges["berth0"].Gateway);
    }

    [Fact]
    public void Ids_survive_a_restart()
    {
        var first = NewService();
        var created = first.Create(Named("app"));

        var second = NewService();

        Assert.Equal(created.Id, second.Get("app").Id);
        Assert.Equal(first.Get("bridge").Id, second.Get("bridge").Id);
        Assert.Equal(created.Id, second.Get(created.Id[..6]).Id);
    }

    [Fact]
    public void A_new_network_takes_the_first_pool_subnet_free_of_networks_and_host_routes()
    {
        _host.Routes.Add(new IPNetwork(IPAddress.Parse("10.214.0.0"), 24));
        var service = NewService();

        var a = service.Create(Named("a"));
        var b = service.Create(Named("b"));

        Assert.Equal(("10.214.1.0/24", "10.214.1.1"), (a.Subnet, a.Gateway));
        Assert.Equal("10.214.2.0/24", b.Subnet);
        Assert.Equal("br-" + a.Id[..12], a.BridgeName);
        Assert.True(_host.Bridges.ContainsKey(a.BridgeName));
    }

    [Fact]
    public void Create_refuses_what_docker_refuses()
    {
        var service = NewService();
        service.Create(Named("app", "10.215.0.0/16"));

        Assert.Equal((ErrorKind.Conflict, "network with name app already exists"), Error(() => service.Create(Named("app"))));
        Assert.Equal((ErrorKind.Forbidden, "bridge is a pre-defined network and cannot be created"), Error(() => service.Create(Named("bridge"))));
        Assert.Equal((ErrorKind.Forbidden, "invalid pool request: Pool overlaps with other one on this address space"),
            Error(() => service.Create(Named("other", "10.215.3.0/24"))));
        Assert.Equal((ErrorKind.InvalidArgument, "invalid CIDR address: nope"), Error(() => service.Create(Named("bad", "nope"))));
        Assert.Equal((ErrorKind.NotFound, "plugin \"overlay\" not found"), Error(() => service.Create(Named("o") with { Driver = "overlay" })));
        Assert.Equal((ErrorKind.InvalidArgument, "no matching subnet for gateway 10.9.9.9"),
            Error(() => service.Create(Named("gw") with { Pools = [new IpamRequest("10.216.0.0/24", "", "10.9.9.9", new Dictionary<string, string>())] })));
        Assert.Equal(["app", "bridge", "host", "none"], service.Snapshot().Select(n => n.Name).Order());
    }

    [Fact]
    public void A_network_whose_bridge_cannot_be_made_is_not_kept()
    {
        var host = new FailingBridges();
        var service = Services.Network(_root, host);
        host.Fail = true;

        Assert.Throws<InvalidOperationException>(() => service.Create(Named("app")));

        Assert.DoesNotContain(service.Snapshot(), n => n.Name == "app");
        Assert.DoesNotContain(host.Bridges.Keys, k => k.StartsWith("br-", StringComparison.Ordinal));
    }

    [Fact]
    public void Predefined_networks_cannot_be_removed_and_a_removed_one_takes_its_bridge()
    {
        var service = NewService();
        var app = service.Create(Named("app"));

        Assert.Equal((ErrorKind.Forbidden, "host is a pre-defined network and cannot be removed"), Error(() => service.Remove("host")));
        service.Remove("app");

        Assert.False(_host.Bridges.ContainsKey(app.BridgeName));
        Assert.Equal((ErrorKind.NotFound, "network app not found"), Error(() => service.Get("app")));
    }

    [Fact]
    public void List_filters_as_moby_does()
    {
        var service = NewService();
        service.Create(Named("front") with { Labels = new Dictionary<string, string> { ["tier"] = "web" } });
        service.Create(Named("back"));

        IReadOnlyList<string> Names(string key, params string[] values) =>
            [.. service.List(new Dictionary<string, IReadOnlyList<string>> { [key] = values }).Select(n => n.Name)];

        Assert.Equal(["back", "front"], Names("type", "custom"));
        Assert.Equal(["bridge", "host", "none"], Names("type", "builtin"));
        Assert.Equal(["front"], Names("label", "tier=web"));
        Assert.Equal(["front"], Names("name", "^fr"));
        Assert.Equal(["back", "front"], Names("dangling", "true"));
        Assert.Equal((ErrorKind.InvalidArgument, "invalid filter 'nope'"), Error(() => Names("nope", "x")));
    }

    [Fact]
    public void Prune_removes_unused_user_networks_that_match()
    {
        var service = NewService();
        service.Create(Named("keep") with { Labels = new Dictionary<string, string> { ["keep"] = "1" } });
        service.Create(Named("drop"));

        var removed = service.Prune(new Dictionary<string, IReadOnlyList<string>> { ["label!"] = ["keep"] });

        Assert.Equal(["drop"], removed);
        Assert.Equal(["bridge", "host", "keep", "none"], service.Snapshot().Select(n => n.Name).Order());
    }

    private static (ErrorKind, string) Error(Action action)
    {
        var e = Assert.Throws<EngineException>(action);
        return (e.Kind, e.Message);
    }

    private static (ErrorKind, string) Error<T>(Func<T> action) => Error(() => { action(); });

    private sealed class FailingBridges : INetworkHost
    {
        private readonly FakeNetworkHost _inner = new();
        public bool Fail { get; set; }
        public IReadOnlyDictionary<string, BridgeSpec> Bridges => _inner.Bridges;
        public void CreateNamespace(string path) => _inner.CreateNamespace(path);
        public void RemoveNamespace(string path) => _inner.RemoveNamespace(path);

        public void EnsureBridge(BridgeSpec bridge)
        {
            _inner.EnsureBridge(bridge);
            if (Fail) throw new InvalidOperationException("netlink: operation not permitted");
        }

        public void RemoveBridge(BridgeSpec bridge) => _inner.RemoveBridge(bridge);
        public IReadOnlyList<IPNetwork> HostRoutes() => [];
        public void Connect(EndpointLink endpoint) => _inner.Connect(endpoint);
        public void Disconnect(string hostInterface) => _inner.Disconnect(hostInterface);
        public IAsyncDisposable StartDns(string netnsPath, IDnsNames names, IReadOnlyList<IPAddress> servers) => _inner.StartDns(netnsPath, names, servers);
        public IPortForward Forward(PortMapping port) => _inner.Forward(port);
    }
}
