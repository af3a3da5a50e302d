using System.Net;
using Berth.Linux.Netlink;
using Berth.Network.Bridge;
using Berth.Testing;

namespace Berth.Privileged.Tests.Network;

/// <summary>Tests that change the host's iptables chains run one at a time: one test's uninstall must not pull the
/// chains from under another's rules.</summary>
[CollectionDefinition("iptables", DisableParallelization = true)]
public sealed class IptablesCollection;

/// <summary>The bridge firewall against this host's iptables (iptables-nft on Debian 12), proven by its rules and by traffic.</summary>
[Collection("iptables")]
public sealed class BridgeFirewallTests : IAsyncLifetime
{
    private readonly BridgeLab _lab;
    private readonly BridgeFirewall _firewall = new();
    private readonly List<FirewallNetwork> _networks = [];

    public BridgeFirewallTests()
    {
        Privileges.RequireRoot();
        _lab = new BridgeLab();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            // Berth's (empty) chains and their jumps stay: daemons of tests running in parallel install and use them.
            foreach (var network in _networks) await _firewall.RemoveAsync(network);
        }
        finally
        {
            _lab.Dispose();
        }
    }

    [PrivilegedFact]
    public async Task A_networks_rules_are_added_once_and_removed_exactly()
    {
        var network = Track(new FirewallNetwork(_lab.BridgeName, _lab.Network));
        var bridge = _lab.BridgeName;

        await _firewall.AddAsync(network);
        await _firewall.AddAsync(network);

        Assert.Equal(
        [
            $"-A BERTH-FORWARD -i {bridge} -o {bridge} -j ACCEPT",
            $"-A BERTH-FORWARD -i {bridge} ! -o {bridge} -j ACCEPT",
            $"-A BERTH-FORWARD -o {bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            $"-A BERTH-FORWARD -o {bridge} -m conntrack --ctstate DNAT -j ACCEPT",
            $"-A BERTH-ISOLATION-STAGE-1 -i {bridge} ! -o {bridge} -j BERTH-ISOLATION-STAGE-2",
            $"-A BERTH-ISOLATION-STAGE-2 -o {bridge} -j DROP",
            $"-A BERTH-POSTROUTING -s {_lab.Network} ! -o {bridge} -j MASQUERADE",
        ], RulesNaming(bridge));
        Assert.Contains("-A FORWARD -j BERTH-FORWARD", Rules("filter"));
        Assert.Contains("-A BERTH-FORWARD -j BERTH-ISOLATION-STAGE-1", Rules("filter"));
        Assert.Contains("-A POSTROUTING -j BERTH-POSTROUTING", Rules("nat"));
        Assert.Equal("1", File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());

        await _firewall.RemoveAsync(network);
        await _firewall.RemoveAsync(network);

        Assert.Empty(RulesNaming(bridge));
    }

    [PrivilegedFact]
    public async Task A_network_whose_rules_are_partly_gone_loses_the_rest()
    {
        var network = Track(new FirewallNetwork(_lab.BridgeName, _lab.Network));
        await _firewall.AddAsync(network);
        // All present: one iptables-restore deletes them; one gone: that batch fails whole and each is deleted alone.
        BridgeLab.Run(null, "iptables", "-w", "-t", "filter", "-D", "BERTH-ISOLATION-STAGE-2", "-o", _lab.BridgeName, "-j", "DROP");

        await _firewall.RemoveAsync(network);

        Assert.Empty(RulesNaming(_lab.BridgeName));
    }

    [PrivilegedFact]
    public async Task An_internal_networks_rules_seal_the_bridge_and_masquerade_nothing()
    {
        var network = Track(new FirewallNetwork(_lab.BridgeName, _lab.Network, Internal: true));
        var bridge = _lab.BridgeName;

        await _firewall.AddAsync(network);

        Assert.Equal(
        [
            $"-A BERTH-FORWARD -i {bridge} -o {bridge} -j ACCEPT",
            $"-A BERTH-ISOLATION-STAGE-1 -i {bridge} ! -o {bridge} -j BERTH-ISOLATION-STAGE-2",
            $"-A BERTH-ISOLATION-STAGE-1 -i {bridge} ! -o {bridge} -j DROP",
            $"-A BERTH-ISOLATION-STAGE-1 ! -i {bridge} -o {bridge} -j DROP",
            $"-A BERTH-ISOLATION-STAGE-2 -o {bridge} -j DROP",
        ], RulesNaming(bridge));

        await _firewall.RemoveAsync(network);
        Assert.Empty(RulesNaming(bridge));
    }

    [PrivilegedFact]
    public async Task Two_bridges_are_isolated_from_each_other()
    {
        _lab.EnsureBridge();
        var other = new BridgeSettings(BridgeLab.NewBridgeName(), IPAddress.Parse($"10.213.{OtherSubnet()}.1"), 24);
        _lab.EnsureBridge(other);
        var (a, b) = (_lab.NewNamespace(), _lab.NewNamespace());
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(a, 2));
        var bAddress = IPAddress.Parse(other.Gateway.ToString()[..^1] + "2");
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(b, 2) with
        {
            BridgeName = other.Name, Address = bAddress, Gateway = other.Gateway, MacAddress = MacAddresses.FromIPv4(bAddress),
        });
        await _firewall.AddAsync(Track(new FirewallNetwork(_lab.BridgeName, _lab.Network)));
        // a's rules alone let it out and its replies in (whatever the FORWARD policy): so the drops below are isolation
        Assert.True(BridgeLab.Pings(a, bAddress), "a → b while only a's network has rules");

        await _firewall.AddAsync(Track(new FirewallNetwork(other.Name, IPNetwork.Parse($"{other.Gateway}/24"))));

        Assert.False(BridgeLab.Pings(a, bAddress), "a → b across bridges");
        Assert.False(BridgeLab.Pings(b, _lab.Address(2)), "b → a across bridges");
        Assert.True(BridgeLab.Pings(a, _lab.Address(1)), "a → its own gateway");
        Assert.True(BridgeLab.Pings(null, bAddress), "host → b");
    }

    [PrivilegedFact]
    public async Task Traffic_leaving_the_subnet_is_masqueraded_and_internal_traffic_is_not_let_out()
    {
        _lab.EnsureBridge();
        var container = _lab.NewNamespace();
        _lab.Driver.ConnectEndpoint(_lab.Endpoint(container, 2));
        var outside = OutsideHost(_lab.NewNamespace());
        await _firewall.InstallAsync();
        Assert.False(BridgeLab.Pings(container, outside), "without NAT the outside host has no route back"); // the test can fail

        var network = Track(new FirewallNetwork(_lab.BridgeName, _lab.Network));
        await _firewall.AddAsync(network);
        Assert.True(BridgeLab.Pings(container, outside), "masqueraded behind the host");

        await _firewall.RemoveAsync(network);
        await _firewall.AddAsync(Track(network with { Internal = true }));
        Assert.False(BridgeLab.Pings(container, outside), "an internal network does not reach out");
        Assert.True(BridgeLab.Pings(null, _lab.Address(2)), "the host still reaches an internal network");
    }

    /// <summary>A namespace routed from the host over a /30 of its own, with no route back to the lab's subnet:
    /// it can answer the lab's containers only when their traffic comes from the host's address.</summary>
    private IPAddress OutsideHost(string netns)
    {
        var prefix = $"10.213.{OtherSubnet()}";
        var hostEnd = _lab.NewHostInterface();
        using (var rtnl = RouteNetlink.Open())
        {
            using var ns = File.OpenHandle(netns);
            rtnl.CreateVeth(new LinkSettings(hostEnd) { Up = true }, new LinkSettings("eth0") { Namespace = ns });
            rtnl.AddAddress(rtnl.LinkIndex(hostEnd), IPAddress.Parse(prefix + ".1"), 30);
        }
        Assert.Equal(0, BridgeLab.Run(netns, "ip", "addr", "add", prefix + ".2/30", "dev", "eth0").Exit);
        Assert.Equal(0, BridgeLab.Run(netns, "ip", "link", "set", "eth0", "up").Exit);
        return IPAddress.Parse(prefix + ".2");
    }

    private int OtherSubnet() => (_lab.Subnet + 1 + Random.Shared.Next(0, 255)) % 256;

    private FirewallNetwork Track(FirewallNetwork network)
    {
        _networks.Add(network);
        return network;
    }

    private static string[] Rules(string table) => BridgeLab.Run(null, "iptables", "-w", "-t", table, "-S").Output.Split('\n');

    private static string[] RulesNaming(string bridge) =>
        [.. Rules("filter").Concat(Rules("nat")).Where(rule => rule.Contains(bridge, StringComparison.Ordinal))];
}
