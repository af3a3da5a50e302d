using System.Net;
using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>/etc/hostname, /etc/hosts and /etc/resolv.conf as Docker writes them. Only text: nothing is queried.</summary>
public sealed class ContainerFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-files-").FullName;

    private const string HostResolv = "# host\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver ::1\nsearch corp.example\noptions edns0 trust-ad\nsortlist 10.0.0.0\n";
    private static readonly HostNameFiles Host = new("127.0.0.1 localhost\n10.1.1.1 build-server\n", HostResolv);

    private const string Ipv6Lines = "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    [Fact]
    public void None_network_hosts_has_localhost_the_ipv6_names_and_added_hosts_but_no_own_line()
    {
        var files = ContainerFiles.Create("abc", new ContainerConfig(), new HostConfig { ExtraHosts = ["db:10.0.0.5", "v6:[2001:db8::1]"] }, Host);
        Assert.Equal("abc\n", files.Hostname);
        Assert.Equal("127.0.0.1\tlocalhost\n" + Ipv6Lines + "10.0.0.5\tdb\n2001:db8::1\tv6\n", files.Hosts);
    }

    [Fact]
    public void A_container_with_addresses_maps_its_fqdn_and_short_name()
    {
        var hosts = EtcHosts.Build("web", "example.org", [], [IPAddress.Parse("172.17.0.2")], ipv6: false);
        Assert.Equal("127.0.0.1\tlocalhost\n172.17.0.2\tweb.example.org web\n", hosts);
        Assert.EndsWith("172.17.0.2\tweb\n", EtcHosts.Build("web", null, [], [IPAddress.Parse("172.17.0.2")]));
    }

    [Fact]
    public void Host_network_copies_the_hosts_file_unless_hosts_are_added()
    {
        var host = new HostConfig { NetworkMode = "host" };
        Assert.Equal(Host.Hosts, ContainerFiles.Create("box", new ContainerConfig(), host, Host).Hosts);
        var added = ContainerFiles.Create("box", new ContainerConfig(), host with { ExtraHosts = ["gw:host-gateway"] }, Host, hostGateway: [IPAddress.Parse("172.17.0.1")]);
        Assert.Equal("127.0.0.1\tlocalhost\n" + Ipv6Lines + "172.17.0.1\tgw\n", added.Hosts);
    }

    [Fact]
    public void Bad_added_hosts_are_refused_with_dockers_messages()
    {
        Assert.Equal("bad format for add-host: \"nocolon\"", OciFixture.Invalid(() => EtcHosts.Build("h", null, ["nocolon"], [])).Message);
        Assert.Equal("invalid IP address in add-host: \"not-an-ip\"", OciFixture.Invalid(() => EtcHosts.Build("h", null, ["a:not-an-ip"], [])).Message);
        Assert.Equal("unable to derive the IP value for host-gateway", OciFixture.Invalid(() => EtcHosts.Build("h", null, ["a:host-gateway"], [])).Message);
    }

    [Fact]
    public void Resolv_conf_drops_loopback_nameservers_away_from_the_host_network()
    {
        var files = ContainerFiles.Create("abc", new ContainerConfig(), new HostConfig(), Host);
        Assert.Equal(ResolvConf.Header + "\n\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0 trust-ad\nsortlist 10.0.0.0\n\n" +
            "# Based on host file: '/etc/resolv.conf' (legacy)\n# Overrides: []\n", files.ResolvConf);
    }

    [Fact]
    public void Resolv_conf_falls_back_to_dockers_default_servers_as_text()
    {
        var text = ResolvConf.Build("nameserver 127.0.0.53\n", "/etc/resolv.conf", [], [], [], removeLoopback: true, ipv6: false);
        Assert.Equal(ResolvConf.Header + "\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n\n" +
            "# Based on host file: '/etc/resolv.conf' (legacy)\n# Used default nameservers.\n# Overrides: []\n", text);
    }

    [Fact]
    public void Host_network_keeps_the_hosts_resolvers()
    {
        var files = ContainerFiles.Create("box", new ContainerConfig(), new HostConfig { NetworkMode = "host" }, Host);
        Assert.Contains("nameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver ::1\n", files.ResolvConf);
        Assert.Contains("# Based on host file: '/etc/resolv.conf'\n", files.ResolvConf);
    }

    [Fact]
    public void Dns_search_and_options_override_the_hosts()
    {
        var host = new HostConfig { Dns = ["192.0.2.53"], DnsSearch = ["a.example", "."], DnsOptions = ["ndots:2"] };
        var text = ContainerFiles.Create("abc", new ContainerConfig(), host, Host).ResolvConf;
        Assert.Equal(ResolvConf.Header + "\n\nnameserver 192.0.2.53\nsearch a.example\noptions ndots:2\nsortlist 10.0.0.0\n\n" +
            "# Based on host file: '/etc/resolv.conf' (legacy)\n# Overrides: [nameservers search options]\n# Option ndots from: override\n", text);
    }

    [Fact]
    public void Files_are_written_whole_into_the_directory()
    {
        var files = ContainerFiles.Create("abc", new ContainerConfig(), new HostConfig(), Host);
        File.WriteAllText(Path.Combine(_dir, "hosts"), "old");
        var paths = ContainerFiles.Write(_dir, files);
        Assert.Equal("abc\n", File.ReadAllText(paths.Hostname));
        Assert.Equal(files.Hosts, File.ReadAllText(paths.Hosts));
        Assert.Equal(files.ResolvConf, File.ReadAllText(paths.ResolvConf));
        Assert.Equal(["hostname", "hosts", "resolv.conf"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
