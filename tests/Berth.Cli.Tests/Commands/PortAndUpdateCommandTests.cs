using Berth.Api.Models.Containers;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class PortAndUpdateCommandTests
{
    private static TestCli WithPorts()
    {
        var cli = new TestCli();
        cli.Client.Inspects["web"] = new ContainerInspectResponse
        {
            Id = "web",
            NetworkSettings = new NetworkSettings
            {
                Ports = new()
                {
                    ["443/tcp"] = [new PortBinding { HostIp = "0.0.0.0", HostPort = "8443" }],
                    ["80/tcp"] = [new PortBinding { HostIp = "0.0.0.0", HostPort = "8080" }, new PortBinding { HostIp = "::", HostPort = "8080" }],
                    ["53/udp"] = null,
                },
            },
        };
        return cli;
    }

    [Fact]
    public async Task Port_lists_every_mapping_in_natural_order()
    {
        var cli = WithPorts();
        Assert.Equal(0, await cli.RunAsync("port", "web"));
        Assert.Equal("80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n443/tcp -> 0.0.0.0:8443\n", cli.Stdout);
    }

    [Fact]
    public async Task Port_of_one_private_port_prints_its_host_addresses_or_docker_error()
    {
        var cli = WithPorts();
        Assert.Equal(0, await cli.RunAsync("container", "port", "web", "80"));
        Assert.Equal("0.0.0.0:8080\n[::]:8080\n", cli.Stdout);
        Assert.Equal(1, await cli.RunAsync("port", "web", "53/udp"));
        Assert.Equal("Error: No public port '53/udp' published for web\n", cli.Stderr);
        Assert.Equal(1, await cli.RunAsync("port", "web", "http"));
        Assert.StartsWith("Error: invalid port (http)", cli.Stderr);
    }

    [Fact]
    public async Task Update_sends_the_limits_and_policy_and_prints_each_name()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("update", "-m", "64m", "--cpus", "1.5", "--pids-limit", "10", "--restart", "on-failure:3", "a", "b"));
        Assert.Equal("a\nb\n", cli.Stdout);
        var update = cli.Client.Updates[0];
        Assert.Equal((64L << 20, 1_500_000_000L, 10L, "on-failure", 3), (update.Memory, update.NanoCpus, update.PidsLimit!.Value, update.RestartPolicy.Name, update.RestartPolicy.MaximumRetryCount));
    }

    [Fact]
    public async Task Update_without_flags_is_refused()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("update", "a"));
        Assert.Equal("you must provide one or more flags when using this command\n", cli.Stderr);
        Assert.Empty(cli.Client.Updates);
    }
}
