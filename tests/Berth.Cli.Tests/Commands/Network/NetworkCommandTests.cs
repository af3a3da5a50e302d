using System.Net;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Api.Models.Networks;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands.Network;

public sealed class NetworkCommandTests
{
    private static readonly string BridgeId = "f2de39df4171b0dc801e8002d1d999b77256983dfc63041c0f34030aa3977566";

    private static TestCli WithNetworks()
    {
        var cli = new TestCli();
        cli.Client.Networks.Add(new NetworkResource { Name = "net10", Id = new string('3', 64), Driver = "bridge", Created = "2025-01-01T10:00:00.5Z" });
        cli.Client.Networks.Add(new NetworkResource { Name = "bridge", Id = BridgeId, Driver = "bridge", Created = "2025-01-01T10:00:00Z" });
        cli.Client.Networks.Add(new NetworkResource { Name = "net9", Id = new string('9', 64), Driver = "bridge", Internal = true, EnableIPv4 = true, Labels = { ["a"] = "1", ["b"] = "2" } });
        cli.Client.Networks.Add(new NetworkResource { Name = "host", Id = new string('1', 64), Driver = "host" });
        return cli;
    }

    [Fact]
    public async Task Ls_prints_dockers_table_sorted_in_natural_order_with_short_ids()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("network", "ls"));
        Assert.Equal(
            "NETWORK ID     NAME      DRIVER    SCOPE\n" +
            "f2de39df4171   bridge    bridge    local\n" +
            "111111111111   host      host      local\n" +
            "999999999999   net9      bridge    local\n" +
            "333333333333   net10     bridge    local\n", cli.Stdout);
        Assert.Equal(["NetworkList filters={}"], cli.Client.Calls);
    }

    [Fact]
    public async Task Ls_quiet_no_trunc_and_filters_go_as_docker_sends_them()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("network", "list", "-q", "--no-trunc", "-f", "driver=bridge", "--filter", "label=a=1"));
        Assert.Equal($"{BridgeId}\n{new string('1', 64)}\n{new string('9', 64)}\n{new string('3', 64)}\n", cli.Stdout);
        Assert.Equal(["NetworkList filters={\"driver\":{\"bridge\":true},\"label\":{\"a=1\":true}}"], cli.Client.Calls);
    }

    [Fact]
    public async Task Ls_formats_templates_tables_and_json_with_dockers_fields()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("network", "ls", "--format", "{{.Name}} {{.Internal}} {{.IPv4}} {{.IPv6}} {{.Labels}} {{.Label \"b\"}}"));
        Assert.Equal("bridge false false false  \nhost false false false  \nnet9 true true false a=1,b=2 2\nnet10 false false false  \n", cli.Stdout);

        Assert.Equal(0, await cli.RunAsync("network", "ls", "--format", "table {{.Name}}\t{{.CreatedAt}}", "-f", "name=net10"));
        Assert.StartsWith("NAME      CREATED AT\nbridge    2025-01-01 10:00:00 +0000 UTC\n", cli.Stdout);
        Assert.Contains("net10     2025-01-01 10:00:00.5 +0000 UTC\n", cli.Stdout);

        Assert.Equal(0, await cli.RunAsync("network", "ls", "--format", "json"));
        var first = cli.Stdout.Split('\n')[0];
        Assert.Equal("{\"CreatedAt\":\"2025-01-01 10:00:00 +0000 UTC\",\"Driver\":\"bridge\",\"ID\":\"f2de39df4171\",\"IPv4\":\"false\",\"IPv6\":\"false\"," +
            "\"Internal\":\"false\",\"Labels\":\"\",\"Name\":\"bridge\",\"Scope\":\"local\"}", first);
    }

    [Fact]
    public async Task Ls_prints_null_labels_as_none()
    {
        var cli = new TestCli();
        cli.Client.Networks.Add(JsonSerializer.Deserialize("""{"Name":"n","Id":"abc","Labels":null}""", ApiJsonContext.Default.NetworkResource)!);
        Assert.Equal(0, await cli.RunAsync("network", "ls", "--format", "{{.Name}}[{{.Labels}}][{{.Label \"x\"}}]"));
        Assert.Equal("n[][]\n", cli.Stdout);
    }

    [Fact]
    public async Task Ls_uses_networksFormat_from_config_json_unless_quiet()
    {
        var cli = WithNetworks();
        var dir = Directory.CreateTempSubdirectory("berth-netcfg-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), "{\"networksFormat\":\"{{.Name}}/{{.Driver}}\"}");
            cli.Environment["DOCKER_CONFIG"] = dir;
            Assert.Equal(0, await cli.RunAsync("network", "ls"));
            Assert.Equal("bridge/bridge\nhost/host\nnet9/bridge\nnet10/bridge\n", cli.Stdout);
            Assert.Equal(0, await cli.RunAsync("network", "ls", "-q"));
            Assert.Equal("f2de39df4171\n111111111111\n999999999999\n333333333333\n", cli.Stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Ls_rejects_a_filter_without_equals_as_a_flag_error()
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("network", "ls", "-f", "driver"));
        Assert.StartsWith("invalid argument \"driver\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n", cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }

    [Fact]
    public async Task Create_sends_docker_28s_body_and_prints_the_id()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("network", "create", "mynet"));
        Assert.Equal(new string('c', 64) + "\n", cli.Stdout);
        var request = cli.Client.NetworkCreates.Single();
        Assert.Equal(
            "{\"Name\":\"mynet\",\"Driver\":\"bridge\",\"Scope\":\"\",\"IPAM\":{\"Driver\":\"default\",\"Options\":{},\"Config\":[]},\"Internal\":false," +
            "\"Attachable\":false,\"Ingress\":false,\"ConfigOnly\":false,\"ConfigFrom\":null,\"Options\":{},\"Labels\":{}}",
            JsonSerializer.Serialize(request, ApiJsonContext.Default.NetworkCreateRequest));
    }

    [Fact]
    public async Task Create_puts_ranges_gateways_and_aux_addresses_in_their_subnets()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("network", "create", "-d", "bridge", "--subnet", "10.213.1.0/24,10.213.2.0/24", "--gateway", "10.213.2.1",
            "--ip-range", "10.213.1.128/25", "--aux-address", "router=10.213.1.5", "--internal", "--attachable", "--ipv6", "--ipv4=false",
            "--label", "com.example=1", "--label", "flag", "-o", "com.docker.network.bridge.name=br-x", "--ipam-opt", "k=v", "n2"));
        var request = cli.Client.NetworkCreates.Single();
        Assert.Equal(("n2", true, true, true, false), (request.Name, request.Internal, request.Attachable, request.EnableIPv6, request.EnableIPv4));
        Assert.Equal(2, request.IPAM!.Config!.Count);
        var (first, second) = (request.IPAM.Config[0], request.IPAM.Config[1]);
        Assert.Equal(("10.213.1.0/24", "10.213.1.128/25", null), (first.Subnet, first.IPRange, first.Gateway));
        Assert.Equal("10.213.1.5", first.AuxiliaryAddresses!["router"]);
        Assert.Equal(("10.213.2.0/24", null, "10.213.2.1"), (second.Subnet, second.IPRange, second.Gateway));
        Assert.Null(second.AuxiliaryAddresses);
        Assert.Equal("v", request.IPAM.Options!["k"]);
        Assert.Equal(new Dictionary<string, string> { ["com.example"] = "1", ["flag"] = "" }, request.Labels);
        Assert.Equal("br-x", request.Options!["com.docker.network.bridge.name"]);
    }

    [Theory]
    [InlineData("every ip-range or gateway must have a corresponding subnet", "--gateway", "10.213.0.1")]
    [InlineData("no matching subnet for gateway 10.9.0.1", "--subnet", "10.213.0.0/16", "--gateway", "10.9.0.1")]
    [InlineData("no matching subnet for range 10.9.0.0/24", "--subnet", "10.213.0.0/16", "--ip-range", "10.9.0.0/24")]
    [InlineData("multiple overlapping subnet configuration is not supported", "--subnet", "10.213.0.0/16", "--subnet", "10.213.3.0/24")]
    [InlineData("invalid subnet: invalid CIDR address: 10.213.0.0", "--subnet", "10.213.0.0", "--gateway", "10.213.0.1")]
    [InlineData("every ip-range or gateway must have a corresponding subnet", "--subnet", "10.213.0.0/16", "--gateway", "10.213.0.1,10.213.0.2")]
    [InlineData("cannot configure multiple gateways (10.213.0.2, 10.213.0.1) for the same subnet (10.213.0.0/16)",
        "--subnet", "10.213.0.0/16,10.214.0.0/16", "--gateway", "10.213.0.1", "--gateway", "10.213.0.2")]
    [InlineData("cannot configure multiple ranges (10.213.2.0/24, 10.213.1.0/24) on the same subnet (10.213.0.0/16)",
        "--subnet", "10.213.0.0/16,10.214.0.0/16", "--ip-range", "10.213.1.0/24", "--ip-range", "10.213.2.0/24")]
    [InlineData("no matching subnet for aux-address 10.9.0.9", "--subnet", "10.213.0.0/16", "--aux-address", "a=10.9.0.9")]
    public async Task Create_refuses_inconsistent_ipam_flags_with_dockers_messages(string message, params string[] flags)
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync(["network", "create", .. flags, "n"]));
        Assert.Equal(message + "\n", cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }

    [Fact]
    public async Task Create_validates_labels_as_flags_and_needs_one_name()
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("network", "create", "--label", "=x", "n"));
        Assert.StartsWith("invalid argument \"=x\" for \"--label\" flag: invalid label '=x': empty name\n", cli.Stderr);
        Assert.Equal(1, await cli.RunAsync("network", "create"));
        Assert.StartsWith("berth: 'berth network create' requires 1 argument\n", cli.Stderr);
    }

    [Fact]
    public async Task Create_reports_the_daemons_refusal()
    {
        var cli = new TestCli();
        cli.Client.NetworkCreateError = new ApiException(HttpStatusCode.Conflict, "network with name n already exists");
        Assert.Equal(1, await cli.RunAsync("network", "create", "n"));
        Assert.Equal("Error response from daemon: network with name n already exists\n", cli.Stderr);
    }

    [Fact]
    public async Task Inspect_prints_a_json_array_and_reports_missing_networks_after_it()
    {
        var cli = WithNetworks();
        Assert.Equal(1, await cli.RunAsync("network", "inspect", "bridge", "nosuch", "host"));
        using var doc = JsonDocument.Parse(cli.Stdout);
        Assert.Equal(["bridge", "host"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("Name").GetString()));
        Assert.StartsWith("[\n    {\n        \"Name\": \"bridge\",\n", cli.Stdout);
        Assert.Equal("Error response from daemon: network nosuch not found\n", cli.Stderr);
    }

    [Fact]
    public async Task Inspect_formats_each_network_and_passes_verbose()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("network", "inspect", "-v", "-f", "{{.Name}} {{.Driver}} {{json .Labels}}", "net9", "bridge"));
        Assert.Equal("net9 bridge {\"a\":\"1\",\"b\":\"2\"}\nbridge bridge {}\n", cli.Stdout);
        Assert.Equal(["NetworkInspectRaw net9 verbose=True", "NetworkInspectRaw bridge verbose=True"], cli.Client.Calls);

        Assert.Equal(1, await cli.RunAsync("network", "inspect", "nosuch"));
        Assert.Equal("[]\n", cli.Stdout);
    }

    [Fact]
    public async Task Rm_tries_every_network_printing_failures_as_they_happen()
    {
        var cli = WithNetworks();
        cli.Client.NetworkRemoveErrors["bridge"] = new ApiException(HttpStatusCode.Forbidden, "bridge is a pre-defined network and cannot be removed");
        Assert.Equal(1, await cli.RunAsync("network", "rm", "nosuch", "net9", "bridge", "net10"));
        Assert.Equal("net9\nnet10\n", cli.Stdout);
        Assert.Equal("Error response from daemon: network nosuch not found\n" +
            "Error response from daemon: bridge is a pre-defined network and cannot be removed\nexit status 1\n", cli.Stderr);
        Assert.Equal(["NetworkRemove nosuch", "NetworkRemove net9", "NetworkRemove bridge", "NetworkRemove net10"], cli.Client.Calls);
    }

    [Fact]
    public async Task Rm_force_ignores_missing_networks_and_remove_is_an_alias()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("network", "remove", "-f", "nosuch", "net9"));
        Assert.Equal("net9\n", cli.Stdout);
        Assert.Equal("", cli.Stderr);
    }

    [Fact]
    public async Task Prune_asks_dockers_question_and_stops_on_no()
    {
        var cli = new TestCli { Stdin = new MemoryStream("n\n"u8.ToArray()) };
        Assert.Equal(0, await cli.RunAsync("network", "prune"));
        Assert.Equal("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ", cli.Stdout);
        Assert.Empty(cli.Client.Calls);
    }

    [Fact]
    public async Task Prune_prints_the_deleted_networks_with_dockers_blank_line()
    {
        var cli = new TestCli { Stdin = new MemoryStream("y\n"u8.ToArray()) };
        cli.Client.PruneReports["Network"] = """{"NetworksDeleted":["n1","n2"]}""";
        Assert.Equal(0, await cli.RunAsync("network", "prune", "--filter", "until=24h", "--filter", "label=a"));
        Assert.EndsWith("[y/N] Deleted Networks:\nn1\nn2\n\n", cli.Stdout);
        Assert.Equal(["NetworkPrune filters={\"label\":{\"a\":true},\"until\":{\"24h\":true}}"], cli.Client.Calls);

        cli.Client.PruneReports["Network"] = """{"NetworksDeleted":null}""";
        Assert.Equal(0, await cli.RunAsync("network", "prune", "-f"));
        Assert.Equal("", cli.Stdout);
    }

    [Fact]
    public async Task Connect_sends_dockers_endpoint_settings()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("network", "connect", "--alias", "a,b", "--alias", "c", "--ip", "10.213.0.5", "--link", "db:database",
            "--driver-opt", "k = v", "net9", "web"));
        Assert.Equal("", cli.Stdout);
        var (network, request) = cli.Client.NetworkConnects.Single();
        Assert.Equal(("net9", "web"), (network, request.Container));
        var endpoint = request.EndpointConfig!;
        Assert.Equal("{\"IPv4Address\":\"10.213.0.5\"}", JsonSerializer.Serialize(endpoint.IPAMConfig!, ApiJsonContext.Default.EndpointIPAMConfig));
        Assert.Equal(["a", "b", "c"], endpoint.Aliases);
        Assert.Equal(["db:database"], endpoint.Links);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, endpoint.DriverOpts);
    }

    [Fact]
    public async Task Connect_without_options_still_sends_an_empty_ipam_config_aliases_and_driver_options()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("network", "connect", "net9", "web"));
        var endpoint = cli.Client.NetworkConnects.Single().Request.EndpointConfig!;
        Assert.NotNull(endpoint.IPAMConfig);
        Assert.Equal((0, 0), (endpoint.Aliases!.Count, endpoint.DriverOpts!.Count));
        Assert.Null(endpoint.Links);

        Assert.Equal(1, await cli.RunAsync("network", "connect", "--driver-opt", "novalue", "net9", "web"));
        Assert.Equal("invalid key/value pair format in driver options\n", cli.Stderr);
        Assert.Equal(125, await cli.RunAsync("network", "connect", "--link", "a:b:c", "net9", "web"));
        Assert.StartsWith("invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c\n", cli.Stderr);
    }

    [Fact]
    public async Task Connect_and_disconnect_report_the_daemons_errors()
    {
        var cli = WithNetworks();
        Assert.Equal(1, await cli.RunAsync("network", "connect", "nosuch", "web"));
        Assert.Equal("Error response from daemon: network nosuch not found\n", cli.Stderr);
        Assert.Equal(0, await cli.RunAsync("network", "disconnect", "-f", "net9", "web"));
        Assert.Equal("", cli.Stdout);
        Assert.Contains("NetworkDisconnect net9 web force=True", cli.Client.Calls);
        Assert.Equal(1, await cli.RunAsync("network", "disconnect", "net9"));
        Assert.StartsWith("berth: 'berth network disconnect' requires 2 arguments\n", cli.Stderr);
    }

    [Fact]
    public async Task Generic_inspect_finds_networks_after_containers_and_images()
    {
        var cli = WithNetworks();
        Assert.Equal(0, await cli.RunAsync("inspect", "-f", "{{.Id}}", "net9"));
        Assert.Equal(new string('9', 64) + "\n", cli.Stdout);
        Assert.Equal(["InspectRaw net9", "ImageInspectRaw net9", "NetworkInspectRaw net9 verbose=False"], cli.Client.Calls);

        Assert.Equal(1, await cli.RunAsync("inspect", "--type", "network", "nosuch"));
        Assert.Equal("Error response from daemon: network nosuch not found\n", cli.Stderr);
        Assert.Equal(1, await cli.RunAsync("inspect", "nosuch"));
        Assert.Equal("Error: No such object: nosuch\n", cli.Stderr);
    }
}
