using System.Net;
using System.Net.Sockets;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Networks with the real docker CLI: the default bridge, user networks with names and aliases, published ports
/// reached from the host over 127.0.0.1, connect and disconnect, and what errors leave (nothing). Traffic goes only to
/// 127.0.0.1 and to the containers these tests start.
/// </summary>
public sealed class NetworkTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public NetworkTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    /// <summary>A busybox httpd serving "hello from NAME" on port 80.</summary>
    private static string[] Httpd(string name) =>
        ["busybox", "sh", "-c", $"mkdir -p /www && echo hello from {name} > /www/index.html && exec httpd -f -p 80 -h /www"];

    /// <summary>
    /// An HTTP GET from inside a container, printing the body: busybox's nc, since Debian's busybox-static wget
    /// crashes (SIGSEGV) before it sends anything, on the host as well.
    /// </summary>
    private static string Fetch(string host, int attempts = 1) =>
        $"for i in $(seq {attempts}); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {host} 80 | tail -n 1 | grep . && exit 0; sleep 0.2; done; exit 1";

    private static string Get(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return http.GetStringAsync($"http://127.0.0.1:{port}/").GetAwaiter().GetResult().Trim();
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                Thread.Sleep(100); // httpd may not listen yet
            }
        }
    }

    [PrivilegedFact]
    public void A_plain_run_is_on_the_default_bridge_with_an_address_and_a_default_route()
    {
        var addresses = Docker("run", "--rm", "busybox", "ip", "-4", "-o", "addr", "show", "eth0").Ok("ip addr").Output;
        var routes = Docker("run", "--rm", "busybox", "ip", "route").Ok("ip route").Output;

        var prefix = _daemon.Bip[..^"1/24".Length];
        Assert.Contains($"inet {prefix}", addresses);
        Assert.Contains($"default via {prefix}1 dev eth0", routes);
        Assert.True(HostNetworks.LinkExists(_daemon.DefaultBridge));
    }

    [PrivilegedFact]
    public void Containers_on_a_user_network_reach_each_other_by_name_and_alias()
    {
        Docker("network", "create", "e2e-app").Ok("network create");
        try
        {
            Docker(["run", "-d", "--name", "e2e-db", "--network", "e2e-app", "--network-alias", "database", .. Httpd("db")]).Ok("run db");
            var byName = Docker("run", "--rm", "--network", "e2e-app", "busybox", "sh", "-c", Fetch("e2e-db", attempts: 10)).Ok("GET by name");
            Assert.Equal("hello from db", byName.Output);
            Assert.Equal("hello from db", Docker("run", "--rm", "--network", "e2e-app", "busybox", "sh", "-c", Fetch("database")).Ok("GET by alias").Output);
            Docker("run", "--rm", "--network", "e2e-app", "busybox", "ping", "-c", "1", "-W", "2", "e2e-db").Ok("ping by name");

            var resolv = Docker("run", "--rm", "--network", "e2e-app", "busybox", "cat", "/etc/resolv.conf").Ok("resolv.conf").Output;
            Assert.Contains("nameserver 127.0.0.11", resolv);
            var unknown = Docker("run", "--rm", "busybox", "sh", "-c", Fetch("e2e-db"));
            Assert.NotEqual(0, unknown.ExitCode); // the default bridge has no names, as in Docker

            var inspect = Docker("network", "inspect", "e2e-app", "--format", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}").Ok("inspect").Output;
            Assert.StartsWith("e2e-db 10.202.", inspect);
            var refused = Docker("network", "rm", "e2e-app");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("has active endpoints", refused.Stderr);
        }
        finally
        {
            Docker("rm", "-f", "e2e-db");
            Docker("network", "rm", "e2e-app");
        }
    }

    [PrivilegedFact]
    public void A_published_port_answers_on_127_0_0_1_and_P_picks_a_free_port()
    {
        var port = DaemonProcess.FreePort();
        var fixedPort = Docker(["run", "-d", "-p", $"127.0.0.1:{port}:80", .. Httpd("fixed")]).Ok("run -p").Output;
        var random = Docker(["run", "-d", "-P", "--expose", "80", .. Httpd("random")]).Ok("run -P").Output;
        try
        {
            Assert.Equal("hello from fixed", Get(port));
            var mapping = Docker("port", random, "80").Ok("port").Output.Split('\n')[0];
            Assert.StartsWith("0.0.0.0:", mapping);
            Assert.Equal("hello from random", Get(int.Parse(mapping["0.0.0.0:".Length..])));
            var ps = Docker("ps", "--filter", $"id={fixedPort}", "--format", "{{.Ports}}").Ok("ps").Output;
            Assert.Equal($"127.0.0.1:{port}->80/tcp", ps);
        }
        finally
        {
            Docker("rm", "-f", fixedPort, random);
        }
        using var free = new TcpListener(IPAddress.Loopback, port);
        free.Start(); // the forward went with the container
    }

    [PrivilegedFact]
    public void A_host_port_in_use_fails_the_start_and_leaves_nothing()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var run = Docker("run", "-d", "--name", "e2e-busy", "-p", $"127.0.0.1:{port}:80", "busybox", "sleep", "30");

        try
        {
            Assert.Equal(125, run.ExitCode);
            Assert.Contains("driver failed programming external connectivity on endpoint e2e-busy", run.Stderr);
            var id = Docker("inspect", "--format", "{{.Id}}", "e2e-busy").Ok("inspect").Output;
            Assert.False(HostNetworks.LinkExists("vb" + id[..9] + "0"));
            Assert.False(File.Exists(Path.Combine(_daemon.ExecRoot, "netns", id)));
            busy.Stop();
            Docker("start", "e2e-busy").Ok("start once the port is free");
        }
        finally
        {
            Docker("rm", "-f", "e2e-busy");
        }
    }

    [PrivilegedFact]
    public void Connect_gives_a_running_container_a_second_interface_and_disconnect_takes_it()
    {
        Docker("network", "create", "--subnet", "10.203.7.0/24", "e2e-extra").Ok("network create");
        var id = Docker("run", "-d", "--name", "e2e-multi", "busybox", "sleep", "60").Ok("run").Output;
        try
        {
            Docker("network", "connect", "--ip", "10.203.7.50", "e2e-extra", "e2e-multi").Ok("connect");
            Assert.Contains("inet 10.203.7.50/24", Docker("exec", id, "ip", "-4", "-o", "addr", "show", "eth1").Ok("eth1").Output);
            var address = Docker("inspect", "--format", "{{(index .NetworkSettings.Networks \"e2e-extra\").IPAddress}}", id).Ok("inspect").Output;
            Assert.Equal("10.203.7.50", address);

            Docker("network", "disconnect", "e2e-extra", "e2e-multi").Ok("disconnect");
            Assert.NotEqual(0, Docker("exec", id, "ip", "link", "show", "eth1").ExitCode);
            Docker("network", "rm", "e2e-extra").Ok("rm once unused");
        }
        finally
        {
            Docker("rm", "-f", id);
            Docker("network", "rm", "e2e-extra");
        }
    }

    [PrivilegedFact]
    public void Network_create_refuses_an_overlapping_subnet_and_a_taken_name()
    {
        Docker("network", "create", "--subnet", "10.203.9.0/24", "e2e-first").Ok("create");
        try
        {
            var overlap = Docker("network", "create", "--subnet", "10.203.9.128/25", "e2e-second");
            Assert.Equal(1, overlap.ExitCode);
            Assert.Contains("Pool overlaps with other one on this address space", overlap.Stderr);
            var taken = Docker("network", "create", "e2e-first");
            Assert.Contains("network with name e2e-first already exists", taken.Stderr);
            Assert.DoesNotContain("e2e-second", Docker("network", "ls", "--format", "{{.Name}}").Ok("ls").Output);
        }
        finally
        {
            Docker("network", "rm", "e2e-first");
        }
    }

    [PrivilegedFact]
    public void A_killed_daemon_gives_running_containers_their_ports_and_names_again()
    {
        Docker("network", "create", "e2e-live").Ok("network create");
        var port = DaemonProcess.FreePort();
        Docker(["run", "-d", "--name", "e2e-live-web", "--network", "e2e-live", "-p", $"127.0.0.1:{port}:80", .. Httpd("live")]).Ok("run");
        Docker("run", "-d", "--name", "e2e-live-client", "--network", "e2e-live", "busybox", "sleep", "120").Ok("run client");
        try
        {
            Assert.Equal("hello from live", Get(port));
            _daemon.Restart();

            Assert.Equal("hello from live", Get(port));
            Assert.Equal("hello from live", Docker("exec", "e2e-live-client", "sh", "-c", Fetch("e2e-live-web", attempts: 10)).Ok("GET by name after restart").Output);
        }
        finally
        {
            Docker("rm", "-f", "e2e-live-web", "e2e-live-client");
            Docker("network", "rm", "e2e-live");
        }
    }
}
