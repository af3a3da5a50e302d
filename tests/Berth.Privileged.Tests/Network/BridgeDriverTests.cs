using Berth.Linux;
using Berth.Network.Bridge;
using Berth.Testing;

namespace Berth.Privileged.Tests.Network;

/// <summary>The bridge driver against this host's kernel: real bridges, veths and namespaces, proven with traffic.</summary>
public sealed class BridgeDriverTests : IDisposable
{
    private readonly BridgeLab _lab;

    public BridgeDriverTests()
    {
        Privileges.RequireRoot();
        _lab = new BridgeLab();
    }

    public void Dispose() => _lab.Dispose();

    [PrivilegedFact]
    public void Two_endpoints_reach_each_other_and_the_host_reaches_both()
    {
        _lab.EnsureBridge();
        var (a, b) = (_lab.NewNamespace(), _lab.NewNamespace());
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(a, 2));
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(b, 3));

        Assert.True(BridgeLab.Pings(a, _lab.Address(3)), "a → b");
        Assert.True(BridgeLab.Pings(b, _lab.Address(2)), "b → a");
        Assert.True(BridgeLab.Pings(a, _lab.Address(1)), "a → its gateway, the bridge");
        Assert.True(BridgeLab.Pings(null, _lab.Address(2)), "host → a");
        Assert.True(BridgeLab.Pings(null, _lab.Address(3)), "host → b");
    }

    [PrivilegedFact]
    public void Tcp_crosses_the_bridge_between_two_namespaces()
    {
        _lab.EnsureBridge();
        var (a, b) = (_lab.NewNamespace(), _lab.NewNamespace());
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(a, 2));
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(b, 3));

        // b serves one connection with a line; a connects (bounded by -w) until the listener is there.
        var server = Task.Run(() => BridgeLab.Run(b, "busybox", "timeout", "10", "busybox", "nc", "-l", "-p", "7070", "-e", "busybox", "echo", "hello-from-b"));
        var received = "";
        Wait.Until(() => (received = BridgeLab.Run(a, "busybox", "nc", "-w", "2", _lab.Address(3).ToString(), "7070").Output) == "hello-from-b",
            "a reads b's line over TCP", seconds: 10);
        Assert.Equal(0, server.Result.Exit);
    }

    [PrivilegedFact]
    public void The_container_end_has_its_name_mac_mtu_address_and_default_route()
    {
        _lab.EnsureBridge();
        var netns = _lab.NewNamespace();
        var endpoint = _lab.Endpoint(netns, 7, "eth1") with { Mtu = 1400 };
        _lab.Driver.ConnectEndpoint(endpoint);

        var link = BridgeLab.Run(netns, "ip", "-o", "link", "show", "eth1").Output;
        Assert.Contains($"link/ether {MacAddresses.Format(endpoint.MacAddress)}", link);
        Assert.StartsWith($"02:42:0a:d5:{_lab.Subnet:x2}:07", MacAddresses.Format(endpoint.MacAddress));
        Assert.Contains("mtu 1400", link);
        Assert.Contains("state UP", link);
        Assert.Contains($"inet {_lab.Address(7)}/24 brd 10.213.{_lab.Subnet}.255", BridgeLab.Run(netns, "ip", "-4", "-o", "addr", "show", "eth1").Output);
        Assert.Contains($"default via {_lab.Address(1)} dev eth1", BridgeLab.Run(netns, "ip", "-4", "route").Output);

        var host = BridgeLab.Run(null, "ip", "-o", "link", "show", endpoint.HostInterface).Output;
        Assert.Contains($"master {_lab.BridgeName}", host);
        Assert.Contains("mtu 1400", host);
        Assert.Contains("state UP", host);
    }

    [PrivilegedFact]
    public void Without_a_gateway_there_is_no_default_route()
    {
        _lab.EnsureBridge();
        var netns = _lab.NewNamespace();
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(netns, 4) with { Gateway = null });

        var routes = BridgeLab.Run(netns, "ip", "-4", "route").Output;
        Assert.DoesNotContain("default", routes);
        Assert.Contains($"10.213.{_lab.Subnet}.0/24 dev eth0", routes);
    }

    [PrivilegedFact]
    public void Disconnect_removes_both_ends_and_is_idempotent()
    {
        _lab.EnsureBridge();
        var netns = _lab.NewNamespace();
        var endpoint = _lab.Endpoint(netns, 5);
        _lab.Driver.ConnectEndpoint(endpoint);
        Assert.Contains(endpoint.HostInterface, _lab.Driver.ListHostInterfaces("vt"));

        Assert.True(_lab.Driver.DisconnectEndpoint(endpoint.HostInterface));

        Assert.DoesNotContain(endpoint.HostInterface, _lab.Driver.ListHostInterfaces("vt"));
        Assert.False(Directory.Exists($"/sys/class/net/{endpoint.HostInterface}"));
        Assert.NotEqual(0, BridgeLab.Run(netns, "ip", "link", "show", "eth0").Exit);
        Assert.False(_lab.Driver.DisconnectEndpoint(endpoint.HostInterface));
    }

    [PrivilegedFact]
    public void Releasing_the_namespace_deletes_the_pair_without_a_disconnect()
    {
        _lab.EnsureBridge();
        var netns = _lab.NewNamespace();
        var endpoint = _lab.Endpoint(netns, 6);
        _lab.Driver.ConnectEndpoint(endpoint);

        Berth.Network.NetworkNamespaceFile.Remove(netns);

        // the kernel's namespace cleanup deletes the container end, and a veth goes with its peer
        Wait.Until(() => !Directory.Exists($"/sys/class/net/{endpoint.HostInterface}"), "the host end gone with the namespace", seconds: 10);
    }

    [PrivilegedFact]
    public void A_host_interface_name_in_use_fails_and_leaves_no_extra_link()
    {
        _lab.EnsureBridge();
        var (a, b) = (_lab.NewNamespace(), _lab.NewNamespace());
        var first = _lab.Endpoint(a, 2);
        _lab.Driver.ConnectEndpoint(first);

        var error = Assert.Throws<LinuxException>(() => _lab.Driver.ConnectEndpoint(_lab.Endpoint(b, 3) with { HostInterface = first.HostInterface }));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains(first.HostInterface, error.Message);
        Assert.Equal(["lo"], Links(b));
        Assert.True(BridgeLab.Pings(null, _lab.Address(2)), "the first endpoint still works");
    }

    [PrivilegedFact]
    public void A_failure_inside_the_namespace_removes_the_pair()
    {
        _lab.EnsureBridge();
        var netns = _lab.NewNamespace();
        var endpoint = _lab.Endpoint(netns, 2) with { Gateway = System.Net.IPAddress.Parse("10.213.255.254") }; // not on the subnet

        var error = Assert.Throws<LinuxException>(() => _lab.Driver.ConnectEndpoint(endpoint));

        Assert.Equal("RTM_NEWROUTE", error.Call);
        Assert.False(Directory.Exists($"/sys/class/net/{endpoint.HostInterface}"));
        Assert.Equal(["lo"], Links(netns));
    }

    [PrivilegedFact]
    public void Ensure_bridge_is_idempotent_and_remove_bridge_too()
    {
        _lab.EnsureBridge(_lab.Settings with { Mtu = 1450 });
        _lab.EnsureBridge(_lab.Settings with { Mtu = 1450 });

        var link = BridgeLab.Run(null, "ip", "-o", "link", "show", _lab.BridgeName).Output;
        Assert.Contains("mtu 1450", link);
        Assert.Matches("<[^>]*UP[^>]*>", link);
        var addresses = BridgeLab.Run(null, "ip", "-4", "-o", "addr", "show", "dev", _lab.BridgeName).Output.Split('\n');
        Assert.Contains($"inet {_lab.Address(1)}/24 brd 10.213.{_lab.Subnet}.255 ", Assert.Single(addresses));

        Assert.True(_lab.Driver.RemoveBridge(_lab.BridgeName));
        Assert.False(_lab.Driver.RemoveBridge(_lab.BridgeName));
        Assert.False(Directory.Exists($"/sys/class/net/{_lab.BridgeName}"));
    }

    [PrivilegedFact]
    public void Ensure_bridge_refuses_a_link_that_is_not_a_bridge()
    {
        var netns = _lab.NewNamespace();
        _lab.EnsureBridge();
        var endpoint = _lab.Endpoint(netns, 2);
        _lab.Driver.ConnectEndpoint(endpoint);

        var error = Assert.Throws<InvalidOperationException>(() => _lab.Driver.EnsureBridge(_lab.Settings with { Name = endpoint.HostInterface }));

        Assert.Contains($"{endpoint.HostInterface} as a bridge: it exists and is a veth", error.Message);
    }

    /// <summary>The link names of <paramref name="netns"/> (not /sys/class/net: sysfs shows the namespace it was mounted in).</summary>
    private static string[] Links(string netns) =>
        [.. BridgeLab.Run(netns, "ip", "-o", "link", "show").Output.Split('\n').Select(line => line.Split(": ")[1].Split('@')[0])];
}
