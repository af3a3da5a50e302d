using System.Text.Json.Nodes;
using Berth.Cri.Network;

namespace Berth.Cri.Tests;

/// <summary>The CNI configuration as kubelet's runtimes read it, and what each plugin is given on stdin.</summary>
public sealed class CniConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cni-conf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_first_file_in_name_order_is_the_configuration_and_a_conf_file_is_a_single_plugin()
    {
        Assert.Null(CniConfig.Load(_dir));
        Assert.Null(CniConfig.Load(Path.Combine(_dir, "missing")));
        File.WriteAllText(Path.Combine(_dir, "20-b.conflist"), """{"cniVersion":"1.0.0","name":"b","plugins":[{"type":"bridge"},{"type":"portmap"}]}""");
        File.WriteAllText(Path.Combine(_dir, "10-a.conf"), """{"cniVersion":"0.4.0","name":"a","type":"ptp"}""");
        File.WriteAllText(Path.Combine(_dir, "README"), "not a configuration");

        var config = CniConfig.Load(_dir)!;

        Assert.Equal(("a", "0.4.0"), (config.Name, config.CniVersion));
        Assert.Equal("ptp", Assert.Single(config.Plugins)["type"]!.GetValue<string>());
    }

    [Fact]
    public void Each_plugin_gets_its_object_with_the_lists_name_and_version_and_the_previous_result()
    {
        var config = CniConfig.Parse("""{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"bridge","bridge":"b0"},{"type":"portmap"}]}""", single: false, "x");

        var first = JsonNode.Parse(config.StdinOf(0, null))!;
        var second = JsonNode.Parse(config.StdinOf(1, JsonNode.Parse("""{"ips":[{"address":"10.1.0.2/24"}]}""")))!;

        Assert.Equal(("bridge", "b0", "n", "1.0.0"), (first["type"]!.GetValue<string>(), first["bridge"]!.GetValue<string>(),
            first["name"]!.GetValue<string>(), first["cniVersion"]!.GetValue<string>()));
        Assert.Null(first["prevResult"]);
        Assert.Equal("10.1.0.2", PodNetwork.IpOf(second["prevResult"]));
        Assert.Equal(config.Plugins.Count, CniConfig.Parse(config.ToJson().ToJsonString(), single: false, "y").Plugins.Count);
    }

    [Fact]
    public void Host_ports_go_as_runtimeConfig_portMappings_to_the_plugins_that_ask_for_them()
    {
        var config = CniConfig.Parse("""
            {"cniVersion":"1.0.0","name":"n","plugins":[{"type":"bridge"},{"type":"portmap","capabilities":{"portMappings":true,"bandwidth":false}}]}
            """, single: false, "x");
        var capabilities = PodNetwork.CapabilityArgs([
            new V1.PortMapping { ContainerPort = 80, HostPort = 8080 },
            new V1.PortMapping { ContainerPort = 53, HostPort = 5353, HostIp = "127.0.0.1", Protocol = V1.Protocol.Udp },
            new V1.PortMapping { ContainerPort = 9090 }, // no host port: nothing to forward
        ]);

        Assert.Null(JsonNode.Parse(config.StdinOf(0, null, capabilities))!["runtimeConfig"]);
        Assert.Equal("""{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"},{"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"127.0.0.1"}]}""",
            JsonNode.Parse(config.StdinOf(1, null, capabilities))!["runtimeConfig"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","plugins":[{"type":"bridge"}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[]}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[{"bridge":"b"}]}""")]
    [InlineData("""not json""")]
    public void A_configuration_without_a_name_or_plugins_with_types_is_refused(string json) =>
        Assert.Throws<InvalidDataException>(() => CniConfig.Parse(json, single: false, "bad.conflist"));
}
