using System.Net;
using Berth.Network.Ipam;

namespace Berth.Network.Tests.Ipam;

/// <summary>Address management: subnets parsed as Go parses them, pools split and picked around what is taken, addresses given and reserved.</summary>
public sealed class IpamTests
{
    private static IPNetwork Net(string cidr) => Ipv4.TryParseSubnet(cidr, out var n) ? n : throw new FormatException(cidr);

    [Theory]
    [InlineData("10.1.2.3/24", "10.1.2.0/24")]
    [InlineData("172.17.0.0/16", "172.17.0.0/16")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void A_host_address_in_a_cidr_is_masked_to_its_network(string text, string expected) =>
        Assert.Equal(expected, Net(text).ToString());

    [Theory]
    [InlineData("10.1.2.0")]
    [InlineData("10.1.2.0/33")]
    [InlineData("fd00::/64")]
    [InlineData("nope/8")]
    public void What_is_no_ipv4_cidr_is_refused(string text) => Assert.False(Ipv4.TryParseSubnet(text, out _));

    [Fact]
    public void Dockers_default_pools_start_at_172_17_and_end_with_192_168_in_20s()
    {
        var subnets = AddressPool.Defaults.SelectMany(p => p.Subnets()).Select(s => s.ToString()).ToList();

        Assert.Equal("172.17.0.0/16", subnets[0]);
        Assert.Equal("172.31.0.0/16", subnets[14]);
        Assert.Equal("192.168.0.0/20", subnets[15]);
        Assert.Equal("192.168.240.0/20", subnets[^1]);
        Assert.Equal(31, subnets.Count);
    }

    [Fact]
    public void The_first_free_subnet_skips_every_overlap()
    {
        var pools = new[] { AddressPool.Parse("base=10.50.0.0/22,size=24") };

        var picked = AddressPool.PickFree(pools, [Net("10.50.0.0/24"), Net("10.50.1.128/25")]);

        Assert.Equal("10.50.2.0/24", picked.ToString());
        Assert.Null(AddressPool.PickFree(pools, [Net("10.0.0.0/8")]));
    }

    [Theory]
    [InlineData("base=10.0.0.0/8")]
    [InlineData("size=24")]
    [InlineData("base=10.0.0.0/24,size=16")]
    [InlineData("base=10.0.0.0/8,size=24,colour=red")]
    public void A_bad_pool_is_refused(string text) => Assert.Throws<FormatException>(() => AddressPool.Parse(text));

    [Fact]
    public void Addresses_are_given_lowest_first_never_the_network_broadcast_or_reserved_ones()
    {
        var space = new AddressSpace(Net("10.9.0.0/29"), null, [IPAddress.Parse("10.9.0.1")]);

        var given = Enumerable.Range(0, 5).Select(_ => space.Allocate().ToString()).ToList();

        Assert.Equal(["10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"], given);
        Assert.Equal("no available addresses on this pool", Assert.Throws<AddressException>(space.Allocate).Message);
        space.Release(IPAddress.Parse("10.9.0.4"));
        Assert.Equal("10.9.0.4", space.Allocate().ToString());
    }

    [Fact]
    public void A_range_limits_what_is_given_and_a_static_address_is_checked()
    {
        var space = new AddressSpace(Net("10.9.0.0/24"), Net("10.9.0.128/25"), [IPAddress.Parse("10.9.0.1")]);

        Assert.Equal("10.9.0.128", space.Allocate().ToString());
        space.Reserve(IPAddress.Parse("10.9.0.20"));
        Assert.Equal("Address already in use", Assert.Throws<AddressException>(() => space.Reserve(IPAddress.Parse("10.9.0.20"))).Message);
        Assert.Equal("Address already in use", Assert.Throws<AddressException>(() => space.Reserve(IPAddress.Parse("10.9.0.1"))).Message);
        Assert.Equal("no configured subnet or ip-range contain the IP address 10.8.0.5",
            Assert.Throws<AddressException>(() => space.Reserve(IPAddress.Parse("10.8.0.5"))).Message);
        Assert.Throws<AddressException>(() => space.Reserve(IPAddress.Parse("10.9.0.255")));
    }
}
