using System.Net;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Engine.Networks;
using Berth.Engine.Tests.Fakes;

namespace Berth.Engine.Tests.Networks;

/// <summary>
/// Containers on networks, over the in-memory host: what a start wires (namespace, veth, address, DNS server,
/// forwards) is released on exit and on a failed start; names resolve within a network only.
/// </summary>
public sealed class ContainerNetworkingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-netcontainers-").FullName;
    private readonly FakeContainerImages _images = new();
    private readonly InMemoryTaskRuntime _tasks = new();
    private readonly FakeNetworkHost _host = new();
    private readonly NetworkService _networks;
    private readonly ContainerService _service;

    public ContainerNetworkingTests()
    {
        _networks = Services.Network(_root, _host);
        _service = Services.Container(_root, _images, _tasks, _networks);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<string> RunAsync(string name, HostConfig host, ContainerConfig? config = null,
        IReadOnlyDictionary<string, EndpointRequest>? endpoints = null)
    {
        var id = (await _service.CreateAsync(name, config ?? new ContainerConfig { Image = "busybox" }, host, endpoints)).Id;
        await _service.StartAsync(id);
        return id;
    }

    private async Task ExitAsync(string id)
    {
        var exited = _service.Wait(id, WaitCondition.NotRunning);
        _tasks.Tasks[id].Exit(0);
        await exited.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_default_run_gets_an_address_on_the_default_bridge_and_its_exit_releases_it()
    {
        var id = await RunAsync("web", new HostConfig { NetworkMode = "default" });

        var container = _service.Get(id);
        Assert.Equal("bridge", container.HostConfig.NetworkMode);
        var state = container.Networks["bridge"].State!;
        Assert.Equal(("10.213.0.2", 24, "10.213.0.1", "02:42:0a:d5:00:02"), (state.Address, state.PrefixLength, state.Gateway, state.MacAddress));
        var link = _host.Links[state.HostInterface];
        Assert.Equal(("berth0", "eth0", IPAddress.Parse("10.213.0.1")), (link.BridgeName, link.ContainerInterface, link.Gateway));
        Assert.Empty(_host.DnsServers); // the default bridge has no embedded DNS, as in Docker
        Assert.Contains("10.213.0.2\t", File.ReadAllText(_service.Layout.Hosts(id)));

        await ExitAsync(id);

        Assert.Empty(_host.Links);
        Assert.Empty(_host.Namespaces);
        Assert.Null(_service.Get(id).Networks["bridge"].State);
        var again = await RunAsync("web2", new HostConfig { NetworkMode = "default" });
        Assert.Equal("10.213.0.2", _service.Get(again).Networks["bridge"].State!.Address);
    }

    [Fact]
    public async Task Containers_on_a_user_network_find_each_other_by_name_and_alias_and_not_across_networks()
    {
        _networks.Create(new NetworkCreate { Name = "app" });
        _networks.Create(new NetworkCreate { Name = "other" });
        var db = await RunAsync("db", new HostConfig { NetworkMode = "app" }, endpoints: new Dictionary<string, EndpointRequest>
        {
            ["app"] = new() { Aliases = ["database"] },
        });
        var web = await RunAsync("web", new HostConfig { NetworkMode = "app" });
        var lone = await RunAsync("lone", new HostConfig { NetworkMode = "other" });

        var names = _host.DnsServers[_service.Layout.Netns(web)];
        var dbAddress = IPAddress.Parse(_service.Get(db).Networks["app"].State!.Address);
        Assert.Equal([dbAddress], names.ResolveA("db"));
        Assert.Equal([dbAddress], names.ResolveA("DATABASE."));
        Assert.Equal([dbAddress], names.ResolveA(db[..12]));
        Assert.Equal("db.app", names.ResolvePtr(dbAddress));
        Assert.Null(names.ResolveA("lone"));
        Assert.Null(_host.DnsServers[_service.Layout.Netns(lone)].ResolveA("db"));
        Assert.Contains("nameserver 127.0.0.11", File.ReadAllText(_service.Layout.ResolvConf(web)));

        await ExitAsync(db);
        Assert.Null(names.ResolveA("db"));
        Assert.False(_host.DnsServers.ContainsKey(_service.Layout.Netns(db)));
    }

    [Fact]
    public async Task Ports_are_published_to_the_first_networks_address_and_released_at_exit()
    {
        var id = await RunAsync("web", new HostConfig
        {
            NetworkMode = "bridge",
            PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>>
            {
                ["80/tcp"] = [new PortBinding("127.0.0.1", "8080")],
                ["53/udp"] = [new PortBinding("", "")],
            },
            PublishAllPorts = true,
        }, new ContainerConfig { Image = "busybox", ExposedPorts = ["80/tcp", "9000/tcp"] });

        var ports = _service.Get(id).Ports.OrderBy(p => p.ContainerPort).ToList();
        Assert.Equal(3, ports.Count);
        Assert.Equal(("53/udp", "0.0.0.0"), (ports[0].ContainerPort, ports[0].HostIp));
        Assert.Equal(new PublishedPort("80/tcp", "tcp", "127.0.0.1", 8080), ports[1]);
        Assert.Equal("9000/tcp", ports[2].ContainerPort);
        Assert.All(_host.Forwards.Values, f => Assert.Equal(IPAddress.Parse("10.213.0.2"), f.ContainerIp));

        await ExitAsync(id);

        Assert.Empty(_host.Forwards);
        Assert.Empty(_service.Get(id).Ports);
    }

    [Fact]
    public async Task A_host_port_in_use_fails_the_start_with_dockers_error_and_leaves_nothing()
    {
        _host.BusyPorts.Add(8080);
        var id = (await _service.CreateAsync("web", new ContainerConfig { Image = "busybox" }, new HostConfig
        {
            NetworkMode = "bridge",
            PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>>
            {
                ["81/tcp"] = [new PortBinding("", "")],
                ["80/tcp"] = [new PortBinding("", "8080")],
            },
        })).Id;

        var error = await Assert.ThrowsAsync<EngineException>(() => _service.StartAsync(id));

        Assert.StartsWith("driver failed programming external connectivity on endpoint web (", error.Message);
        Assert.EndsWith("Bind for 0.0.0.0:8080 failed: port is already allocated", error.Message);
        Assert.Empty(_host.Forwards);
        Assert.Empty(_host.Links);
        Assert.Empty(_host.Namespaces);
        Assert.False(_images.Mounted.GetValueOrDefault(_service.Layout.Rootfs(id)));
        Assert.Equal(ContainerStatus.Created, _service.Get(id).State.Status);
    }

    [Fact]
    public async Task A_static_address_is_honoured_and_a_taken_one_is_refused_without_leftovers()
    {
        _networks.Create(new NetworkCreate { Name = "app", Pools = [new IpamRequest("10.220.0.0/24", "", "", new Dictionary<string, string>())] });
        var endpoints = new Dictionary<string, EndpointRequest> { ["app"] = new() { IPv4Address = "10.220.0.50" } };
        var first = await RunAsync("first", new HostConfig { NetworkMode = "app" }, endpoints: endpoints);
        Assert.Equal("10.220.0.50", _service.Get(first).Networks["app"].State!.Address);

        var second = (await _service.CreateAsync("second", new ContainerConfig { Image = "busybox" }, new HostConfig { NetworkMode = "app" }, endpoints)).Id;
        var error = await Assert.ThrowsAsync<EngineException>(() => _service.StartAsync(second));

        Assert.Equal("Address already in use", error.Message);
        Assert.Single(_host.Links);
        Assert.Single(_host.Namespaces);
    }

    [Fact]
    public async Task Create_checks_endpoints_as_docker_does()
    {
        _networks.Create(new NetworkCreate { Name = "auto" });
        async Task<string> Refused(string mode, string network, EndpointRequest request) =>
            (await Assert.ThrowsAsync<EngineException>(() => _service.CreateAsync(null, new ContainerConfig { Image = "busybox" },
                new HostConfig { NetworkMode = mode }, new Dictionary<string, EndpointRequest> { [network] = request }))).Message;

        Assert.Equal("network nosuch not found", await Refused("nosuch", "nosuch", new()));
        Assert.Equal("user specified IP address is supported on user defined networks only", await Refused("bridge", "bridge", new() { IPv4Address = "10.213.0.9" }));
        Assert.Equal("network-scoped alias is supported only for containers in user defined networks", await Refused("default", "default", new() { Aliases = ["x"] }));
        Assert.Equal("user specified IP address is supported only when connecting to networks with user configured subnets",
            await Refused("auto", "auto", new() { IPv4Address = "10.214.0.9" }));
        Assert.Equal("conflicting options: cannot attach both user-defined and non-user-defined network-modes", await Refused("host", "auto", new()));
        Assert.Empty(_service.All);
    }

    [Fact]
    public async Task Connect_wires_a_running_container_at_once_and_disconnect_releases_it()
    {
        _networks.Create(new NetworkCreate { Name = "extra" });
        var id = await RunAsync("web", new HostConfig { NetworkMode = "bridge" });

        await _service.ConnectNetworkAsync("web", "extra", new EndpointRequest { Aliases = ["w"] });

        var state = _service.Get(id).Networks["extra"].State!;
        Assert.Equal(("eth1", null), (_host.Links[state.HostInterface].ContainerInterface, _host.Links[state.HostInterface].Gateway));
        Assert.Single(_networks.Members(_networks.Get("extra").Id));
        Assert.True(_host.DnsServers.ContainsKey(_service.Layout.Netns(id)));
        var busy = Assert.Throws<EngineException>(() => _networks.Remove("extra"));
        Assert.Equal(ErrorKind.Forbidden, busy.Kind);

        await _service.DisconnectNetworkAsync("web", "extra", force: false);

        Assert.False(_service.Get(id).Networks.ContainsKey("extra"));
        Assert.Empty(_networks.Members(_networks.Get("extra").Id));
        Assert.Single(_host.Links);
        _networks.Remove("extra");
    }

    [Fact]
    public async Task A_veth_that_cannot_be_made_fails_the_start_and_frees_the_address()
    {
        var id = (await _service.CreateAsync("web", new ContainerConfig { Image = "busybox" }, new HostConfig { NetworkMode = "bridge" })).Id;
        _host.FailNextConnect = "netlink: file exists";

        await Assert.ThrowsAsync<InvalidOperationException>(() => _service.StartAsync(id));

        Assert.Empty(_host.Namespaces);
        await _service.StartAsync(id);
        Assert.Equal("10.213.0.2", _service.Get(id).Networks["bridge"].State!.Address);
    }
}
