using System.Net;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

public sealed class HostResolversTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"berth-resolv-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Nameservers_are_read_in_order_with_loopback_kept_as_Docker_does_for_its_embedded_server()
    {
        File.WriteAllText(_file, "# generated\n; also a comment\nsearch example.net\nnameserver 127.0.0.53\nnameserver\tfd00::1\nnameserver not-an-ip\n  nameserver 10.1.2.3 # trailing\noptions edns0\n");
        Assert.Equal([IPAddress.Parse("127.0.0.53"), IPAddress.Parse("fd00::1"), IPAddress.Parse("10.1.2.3")], HostResolvers.Read(_file));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53), HostResolvers.Upstreams(HostResolvers.Read(_file))[0]);
    }

    [Fact]
    public void Missing_file_has_no_nameservers()
    {
        Assert.Empty(HostResolvers.Read(_file));
    }

    [Fact]
    public void Legacy_network_drops_loopback_and_ipv6_and_falls_back_to_Dockers_defaults()
    {
        IPAddress[] host = [IPAddress.Parse("127.0.0.53"), IPAddress.Parse("::1"), IPAddress.Parse("fd00::1"), IPAddress.Parse("10.1.2.3")];
        Assert.Equal([IPAddress.Parse("10.1.2.3")], HostResolvers.ForLegacyNetwork(host, ipv6: false));
        Assert.Equal([IPAddress.Parse("fd00::1"), IPAddress.Parse("10.1.2.3")], HostResolvers.ForLegacyNetwork(host, ipv6: true));
        Assert.Equal([IPAddress.Parse("8.8.8.8"), IPAddress.Parse("8.8.4.4")], HostResolvers.ForLegacyNetwork([IPAddress.Parse("127.0.0.53")], ipv6: false));
    }
}
