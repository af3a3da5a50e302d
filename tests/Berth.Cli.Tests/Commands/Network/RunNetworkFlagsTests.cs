using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands.Network;

/// <summary><c>run</c>/<c>create</c> network flags produce docker 28's <c>NetworkMode</c> and <c>EndpointsConfig</c> (its <c>parseNetworkOpts</c>).</summary>
public sealed class RunNetworkFlagsTests
{
    private static async Task<ContainerCreateRequest> CreateAsync(params string[] flags)
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync(["create", .. flags, "busybox"]));
        return cli.Client.CreateRequests.Single();
    }

    private static string Json(ContainerCreateRequest request) =>
        JsonSerializer.Serialize(request.NetworkingConfig!, ApiJsonContext.Default.NetworkingConfig);

    [Fact]
    public async Task Without_network_the_mode_is_default_with_one_empty_default_endpoint()
    {
        var request = await CreateAsync();
        Assert.Equal("default", request.HostConfig!.NetworkMode);
        var endpoint = Assert.Single(request.NetworkingConfig!.EndpointsConfig!);
        Assert.Equal("default", endpoint.Key);
        Assert.StartsWith("{\"EndpointsConfig\":{\"default\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"MacAddress\":\"\",\"DriverOpts\":null,", Json(request));
        Assert.Null(request.HostConfig.Links);
    }

    [Fact]
    public async Task A_lone_network_without_options_has_no_endpoint_entry()
    {
        var request = await CreateAsync("--net", "mynet");
        Assert.Equal("mynet", request.HostConfig!.NetworkMode);
        Assert.Equal("{\"EndpointsConfig\":{}}", Json(request));
    }

    [Fact]
    public async Task Top_level_alias_ip_and_links_go_to_the_first_network()
    {
        var request = await CreateAsync("--network", "n1", "--network", "n2", "--network-alias", "web", "--net-alias", "www",
            "--ip", "10.213.0.9", "--ip6", "fd00::9", "--link", "db:database", "--mac-address", "92:d0:c6:0a:29:33");
        Assert.Equal("n1", request.HostConfig!.NetworkMode);
        var endpoints = request.NetworkingConfig!.EndpointsConfig!;
        Assert.Equal(["n1", "n2"], endpoints.Keys);
        var first = endpoints["n1"]!;
        Assert.Equal(["web", "www"], first.Aliases);
        Assert.Equal(("10.213.0.9", "fd00::9"), (first.IPAMConfig!.IPv4Address, first.IPAMConfig.IPv6Address));
        Assert.Equal(["db:database"], first.Links);
        Assert.Equal("92:d0:c6:0a:29:33", first.MacAddress);
        Assert.Equal("92:d0:c6:0a:29:33", request.MacAddress);
        Assert.Equal(["db:database"], request.HostConfig.Links);
        var second = endpoints["n2"]!;
        Assert.Null(second.Aliases);
        Assert.Null(second.IPAMConfig);
    }

    [Fact]
    public async Task The_long_syntax_names_per_network_options()
    {
        var request = await CreateAsync("--network", "name=front,alias=a1,alias=a2,ip=10.213.0.7,driver-opt=com.x=1", "--network", "back");
        var front = request.NetworkingConfig!.EndpointsConfig!["front"]!;
        Assert.Equal(["a1", "a2"], front.Aliases);
        Assert.Equal("10.213.0.7", front.IPAMConfig!.IPv4Address);
        Assert.Equal("1", front.DriverOpts!["com.x"]);
        Assert.Equal("front", request.HostConfig!.NetworkMode);
    }

    [Fact]
    public async Task A_link_on_the_default_bridge_is_a_legacy_link_only()
    {
        var request = await CreateAsync("--link", "db");
        Assert.Equal(["db"], request.HostConfig!.Links);
        Assert.Null(request.NetworkingConfig!.EndpointsConfig!["default"]!.Links);
    }

    [Theory]
    [InlineData(new[] { "--network-alias", "a" }, "network-scoped aliases are only supported for user-defined networks")]
    [InlineData(new[] { "--network", "bridge", "--network-alias", "a" }, "network-scoped aliases are only supported for user-defined networks")]
    [InlineData(new[] { "--network", "bridge", "--network", "n1" }, "conflicting options: cannot attach both user-defined and non-user-defined network-modes")]
    [InlineData(new[] { "--network", "host", "--network", "n1" }, "conflicting options: cannot attach both user-defined and non-user-defined network-modes")]
    [InlineData(new[] { "--network", "n1", "--network", "n1" }, "network \"n1\" is specified multiple times")]
    [InlineData(new[] { "--network", "name=n1,alias=x", "--network-alias", "y" }, "conflicting options: cannot specify both --network-alias and per-network alias")]
    [InlineData(new[] { "--network", "name=n1,ip=10.213.0.1", "--ip", "10.213.0.2" }, "conflicting options: cannot specify both --ip and per-network IPv4 address")]
    [InlineData(new[] { "--network", "n1", "--mac-address", "nope" }, "nope is not a valid mac address")]
    public async Task Refused_combinations_exit_125_in_dockers_words(string[] flags, string message)
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync(["run", .. flags, "busybox"]));
        Assert.Equal($"berth: {message}\n\nRun 'berth run --help' for more information\n", cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }

    [Theory]
    [InlineData("name=n1,bogus=1", "invalid field key bogus")]
    [InlineData("alias=x", "network name/id is not specified")]
    public async Task A_bad_long_syntax_is_a_flag_error(string value, string message)
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("run", "--network", value, "busybox"));
        Assert.StartsWith($"invalid argument \"{value}\" for \"--network\" flag: {message}\n", cli.Stderr);
    }

    [Fact]
    public async Task Container_and_none_modes_pass_through()
    {
        var request = await CreateAsync("--network", "container:abc");
        Assert.Equal("container:abc", request.HostConfig!.NetworkMode);
        Assert.Equal("{\"EndpointsConfig\":{}}", Json(request));
    }
}
