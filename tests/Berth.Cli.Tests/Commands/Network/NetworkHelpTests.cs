using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands.Network;

/// <summary>
/// The help of <c>berth network …</c> is docker 28.2.2's, word for word (taken from <c>docker network X --help</c>),
/// except <c>connect --gw-priority</c>, which API 1.44 has no field for.
/// </summary>
public sealed class NetworkHelpTests
{
    [Fact]
    public async Task The_group_lists_docker_networks_subcommands()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("network", "--help"));
        Assert.Equal("""
            Usage:  berth network COMMAND

            Manage networks

            Commands:
              connect     Connect a container to a network
              create      Create a network
              disconnect  Disconnect a container from a network
              inspect     Display detailed information on one or more networks
              ls          List networks
              prune       Remove all unused networks
              rm          Remove one or more networks

            Run 'berth network COMMAND --help' for more information on a command.

            """, cli.Stdout);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("ls")]
    [InlineData("inspect")]
    [InlineData("rm")]
    [InlineData("prune")]
    [InlineData("connect")]
    [InlineData("disconnect")]
    public async Task Each_subcommand_prints_dockers_usage(string subcommand)
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("network", subcommand, "--help"));
        Assert.Equal(Expected[subcommand], cli.Stdout);
    }

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["create"] = """
            Usage:  berth network create [OPTIONS] NETWORK

            Create a network

            Options:
                  --attachable           Enable manual container attachment
                  --aux-address map      Auxiliary IPv4 or IPv6 addresses used by
                                         Network driver (default map[])
                  --config-from string   The network from which to copy the configuration
                  --config-only          Create a configuration only network
              -d, --driver string        Driver to manage the Network (default "bridge")
                  --gateway strings      IPv4 or IPv6 Gateway for the master subnet
                  --ingress              Create swarm routing-mesh network
                  --internal             Restrict external access to the network
                  --ip-range strings     Allocate container ip from a sub-range
                  --ipam-driver string   IP Address Management Driver (default "default")
                  --ipam-opt map         Set IPAM driver specific options (default map[])
                  --ipv4                 Enable or disable IPv4 address assignment
                                         (default true)
                  --ipv6                 Enable or disable IPv6 address assignment
                  --label list           Set metadata on a network
              -o, --opt map              Set driver specific options (default map[])
                  --scope string         Control the network's scope
                  --subnet strings       Subnet in CIDR format that represents a
                                         network segment

            """,
        ["ls"] = """
            Usage:  berth network ls [OPTIONS]

            List networks

            Aliases:
              berth network ls, berth network list

            Options:
              -f, --filter filter   Provide filter values (e.g. "driver=bridge")
                  --format string   Format output using a custom template:
                                    'table':            Print output in table format
                                    with column headers (default)
                                    'table TEMPLATE':   Print output in table format
                                    using the given Go template
                                    'json':             Print in JSON format
                                    'TEMPLATE':         Print output using the given
                                    Go template.
                                    Refer to https://docs.docker.com/go/formatting/
                                    for more information about formatting output with
                                    templates
                  --no-trunc        Do not truncate the output
              -q, --quiet           Only display network IDs

            """,
        ["inspect"] = """
            Usage:  berth network inspect [OPTIONS] NETWORK [NETWORK...]

            Display detailed information on one or more networks

            Options:
              -f, --format string   Format output using a custom template:
                                    'json':             Print in JSON format
                                    'TEMPLATE':         Print output using the given
                                    Go template.
                                    Refer to https://docs.docker.com/go/formatting/
                                    for more information about formatting output with
                                    templates
              -v, --verbose         Verbose output for diagnostics

            """,
        ["rm"] = """
            Usage:  berth network rm NETWORK [NETWORK...]

            Remove one or more networks

            Aliases:
              berth network rm, berth network remove

            Options:
              -f, --force   Do not error if the network does not exist

            """,
        ["prune"] = """
            Usage:  berth network prune [OPTIONS]

            Remove all unused networks

            Options:
                  --filter filter   Provide filter values (e.g. "until=<timestamp>")
              -f, --force           Do not prompt for confirmation

            """,
        ["connect"] = """
            Usage:  berth network connect [OPTIONS] NETWORK CONTAINER

            Connect a container to a network

            Options:
                  --alias strings           Add network-scoped alias for the container
                  --driver-opt strings      driver options for the network
                  --ip string               IPv4 address (e.g., "172.30.100.104")
                  --ip6 string              IPv6 address (e.g., "2001:db8::33")
                  --link list               Add link to another container
                  --link-local-ip strings   Add a link-local address for the container

            """,
        ["disconnect"] = """
            Usage:  berth network disconnect [OPTIONS] NETWORK CONTAINER

            Disconnect a container from a network

            Options:
              -f, --force   Force the container to disconnect from a network

            """,
    };
}
