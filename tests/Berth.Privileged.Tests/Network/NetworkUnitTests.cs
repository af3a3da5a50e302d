using System.Net;
using Berth.Linux;
using Berth.Linux.Netlink;
using Berth.Network.Bridge;

namespace Berth.Privileged.Tests.Network;

/// <summary>Netlink message encoding and parsing, and what needs no root: reading the links of this namespace.
/// Plain facts: they run everywhere (kept here so the network helpers own one test project).</summary>
public sealed class NetworkUnitTests
{
    [Fact]
    public void A_message_has_its_length_type_and_flags_and_pads_each_attribute_to_four_bytes()
    {
        var message = new NetlinkMessageWriter(new byte[256], type: 16, flags: NetlinkSocket.Create);
        message.Attribute(3, "eth0");       // 4 + 5 bytes, padded to 12
        message.Attribute(4, 1500u);        // 8

        Assert.Equal(
            Convert.FromHexString("24000000" + "1000" + "0004" + "00000000" + "00000000" +
                                  "0900" + "0300" + "6574683000" + "000000" +
                                  "0800" + "0400" + "dc050000"),
            message.Message.ToArray());
    }

    [Fact]
    public void A_nested_attribute_is_flagged_and_its_length_covers_its_children()
    {
        var message = new NetlinkMessageWriter(new byte[256], type: 16, flags: 0);
        var outer = message.BeginNested(18);
        message.Attribute(1, "veth");
        var inner = message.BeginNested(2);
        message.Attribute(28, 7u);
        message.EndNested(inner);
        message.EndNested(outer);

        Assert.Equal(
            Convert.FromHexString("1c00" + "1280" + "0900" + "0100" + "7665746800" + "000000" + "0c00" + "0280" + "0800" + "1c00" + "07000000"),
            message.Message[NetlinkMessageWriter.HeaderSize..].ToArray());
    }

    [Fact]
    public void Attributes_read_back_with_the_nested_flag_stripped_and_stop_at_a_truncated_one()
    {
        var message = new NetlinkMessageWriter(new byte[256], type: 16, flags: 0);
        var outer = message.BeginNested(18);
        message.Attribute(1, "bridge");
        message.EndNested(outer);
        message.Attribute(4, 9000u);
        var bytes = message.Message[NetlinkMessageWriter.HeaderSize..].ToArray();

        var seen = new List<string>();
        foreach (var attribute in new NetlinkAttributes(bytes))
        {
            seen.Add(attribute.Type == 18
                ? "18:" + string.Join(',', Kinds(attribute.Value.ToArray()))
                : $"{attribute.Type}:{NetlinkAttributes.U32(attribute.Value)}");
        }
        Assert.Equal(["18:bridge", "4:9000"], seen);

        var truncated = bytes[..^2];
        var count = 0;
        foreach (var _ in new NetlinkAttributes(truncated)) count++;
        Assert.Equal(1, count);
    }

    [Fact]
    public void The_loopback_of_this_namespace_is_found_by_name_and_in_the_list()
    {
        using var rtnl = RouteNetlink.Open();

        var lo = rtnl.FindLink("lo");

        Assert.NotNull(lo);
        Assert.Equal(1, lo.Index);
        Assert.Null(lo.Kind);
        Assert.Contains(rtnl.ListLinks(), link => link.Name == "lo" && link.Index == 1);
    }

    [Fact]
    public void A_missing_link_is_null_to_find_and_enodev_naming_it_to_index()
    {
        using var rtnl = RouteNetlink.Open();

        Assert.Null(rtnl.FindLink("berth-absent0"));
        var error = Assert.Throws<LinuxException>(() => rtnl.LinkIndex("berth-absent0"));
        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Contains("berth-absent0", error.Message);
    }

    [Fact]
    public void A_containers_mac_is_02_42_and_its_ipv4_address()
    {
        var mac = MacAddresses.FromIPv4(IPAddress.Parse("172.17.0.2"));

        Assert.Equal("02:42:ac:11:00:02", MacAddresses.Format(mac));
        Assert.Throws<ArgumentException>(() => MacAddresses.FromIPv4(IPAddress.IPv6Loopback));
    }

    [Fact]
    public async Task A_missing_iptables_is_an_error_naming_the_package()
    {
        var firewall = new BridgeFirewall(program: "/nonexistent/iptables", procSys: Path.GetTempPath());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => firewall.InstallAsync());

        Assert.Contains("install the package `iptables`", error.Message);
    }

    private static List<string> Kinds(byte[] linkInfo)
    {
        var kinds = new List<string>();
        foreach (var attribute in new NetlinkAttributes(linkInfo)) kinds.Add(NetlinkAttributes.String(attribute.Value));
        return kinds;
    }
}
