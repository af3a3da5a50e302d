using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Tests.Dns;

/// <summary>The embedded server's answers, served on 127.0.0.1 in the test's own namespace (the namespace part is a privileged test).</summary>
public sealed class EmbeddedDnsTests : IAsyncLifetime
{
    private static readonly IPAddress Web = IPAddress.Parse("10.213.0.2"), Db = IPAddress.Parse("10.213.0.3"), Db6 = IPAddress.Parse("fd00::3");
    private static readonly IPAddress External = IPAddress.Parse("192.0.2.7");

    private readonly FakeNames _names = new(new() { ["web"] = [Web], ["db"] = [Db, Db6] }) { Throws = "boom" };
    private readonly List<FakeUpstream> _upstreams = [];
    private EmbeddedDns? _dns;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_dns is not null) await _dns.DisposeAsync();
        foreach (var upstream in _upstreams) await upstream.DisposeAsync();
    }

    private EmbeddedDns Start(params FakeUpstream[] upstreams)
    {
        _upstreams.AddRange(upstreams);
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tcp.Listen();
        return _dns = EmbeddedDns.Serve(udp, tcp, _names, upstreams.Select(u => u.EndPoint).ToList(), NullLogger.Instance, TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData("web", false)]
    [InlineData("WEB.", false)]
    [InlineData("Web", true)]
    public async Task Container_name_gets_its_address_with_Dockers_TTL(string name, bool tcp)
    {
        var dns = Start();
        var answer = await DnsProbe.AskAsync(tcp ? dns.TcpEndPoint : dns.UdpEndPoint, DnsProbe.Query(name, DnsType.A, id: 77), tcp);
        Assert.Equal(77, answer.Id);
        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        Assert.True(answer.RecursionAvailable);
        Assert.Equal(name.TrimEnd('.'), answer.Questions[0].Name); // the client's spelling, as asked
        var record = Assert.Single(answer.Answers);
        Assert.Equal(Web, record.Address);
        Assert.Equal(600u, record.Ttl);
    }

    [Fact]
    public async Task Aaaa_for_a_container_without_ipv6_is_an_empty_noerror_answer()
    {
        var upstream = new FakeUpstream(External);
        var dns = Start(upstream);
        var answer = await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("web", DnsType.Aaaa));
        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        Assert.Empty(answer.Answers);
        Assert.Empty(upstream.Asked); // a container name never leaves

        var six = await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("db", DnsType.Aaaa));
        Assert.Equal(Db6, Assert.Single(six.Answers).Address);
    }

    [Fact]
    public async Task Ptr_for_a_container_address_is_its_name()
    {
        var dns = Start();
        var answer = await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("3.0.213.10.in-addr.arpa", DnsType.Ptr));
        var record = Assert.Single(answer.Answers);
        Assert.Equal("db", record.Target);
        Assert.Equal(600u, record.Ttl);
    }

    [Fact]
    public void Reverse_names_parse_to_addresses_and_partial_ones_do_not()
    {
        Assert.Equal(IPAddress.Parse("10.213.0.3"), DnsResponder.ReverseAddress("3.0.213.10.IN-ADDR.ARPA."));
        Assert.Null(DnsResponder.ReverseAddress("0.213.10.in-addr.arpa"));
        Assert.Null(DnsResponder.ReverseAddress("300.0.213.10.in-addr.arpa"));
        var six = string.Join('.', "fd000000000000000000000000000003".Reverse()) + ".ip6.arpa";
        Assert.Equal(Db6, DnsResponder.ReverseAddress(six));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Other_names_are_forwarded_over_the_clients_transport_and_relayed_with_the_clients_id(bool tcp)
    {
        var upstream = new FakeUpstream(External);
        var dns = Start(upstream);
        var answer = await DnsProbe.AskAsync(tcp ? dns.TcpEndPoint : dns.UdpEndPoint, DnsProbe.Query("example.org", DnsType.A, id: 4321), tcp);
        Assert.Equal(4321, answer.Id);
        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        var record = Assert.Single(answer.Answers);
        Assert.Equal(External, record.Address);
        Assert.Equal(42u, record.Ttl); // the upstream's, untouched
        Assert.Equal([(tcp ? "tcp" : "udp", "example.org")], upstream.Asked);
    }

    [Fact]
    public async Task Upstream_answering_servfail_passes_the_query_to_the_next()
    {
        var failing = new FakeUpstream(External, rcode: DnsRcode.ServFail);
        var good = new FakeUpstream(External);
        var dns = Start(failing, good);
        var answer = await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("example.org", DnsType.A));
        Assert.Equal(External, Assert.Single(answer.Answers).Address);
        Assert.Single(failing.Asked);
        Assert.Single(good.Asked);
    }

    [Fact]
    public async Task No_upstream_or_only_silent_ones_is_servfail()
    {
        var dns = Start();
        Assert.Equal(DnsRcode.ServFail, (await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("example.org", DnsType.A))).Rcode);
        await dns.DisposeAsync();

        var silent = new FakeUpstream(External, silent: true);
        dns = Start(silent);
        var answer = await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("example.org", DnsType.A, id: 9));
        Assert.Equal(9, answer.Id);
        Assert.Equal(DnsRcode.ServFail, answer.Rcode);
        Assert.Single(silent.Asked);
    }

    [Fact]
    public async Task Nxdomain_from_upstream_is_relayed_not_retried()
    {
        var nx = new FakeUpstream(External, rcode: DnsRcode.NxDomain);
        var other = new FakeUpstream(External);
        var dns = Start(nx, other);
        Assert.Equal(DnsRcode.NxDomain, (await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("nowhere.example", DnsType.A))).Rcode);
        Assert.Empty(other.Asked);
    }

    [Fact]
    public async Task Garbage_gets_formerr_other_opcodes_notimp()
    {
        var dns = Start();
        byte[] garbage = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12];
        var formerr = await DnsProbe.AskAsync(dns.UdpEndPoint, garbage);
        Assert.Equal(0x1234, formerr.Id);
        Assert.Equal(DnsRcode.FormErr, formerr.Rcode);

        var status = DnsProbe.Query("web", DnsType.A);
        status[2] |= 2 << 3; // opcode STATUS
        Assert.Equal(DnsRcode.NotImp, (await DnsProbe.AskAsync(dns.UdpEndPoint, status)).Rcode);
    }

    [Fact]
    public async Task Lookup_that_throws_is_servfail_and_the_server_keeps_serving()
    {
        var dns = Start();
        Assert.Equal(DnsRcode.ServFail, (await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("boom", DnsType.A))).Rcode);
        Assert.Equal(Web, Assert.Single((await DnsProbe.AskAsync(dns.UdpEndPoint, DnsProbe.Query("web", DnsType.A))).Answers).Address);
    }

    [Fact]
    public async Task Dispose_closes_the_sockets()
    {
        var dns = Start();
        var endpoint = (IPEndPoint)dns.TcpEndPoint;
        await dns.DisposeAsync();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(endpoint));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
