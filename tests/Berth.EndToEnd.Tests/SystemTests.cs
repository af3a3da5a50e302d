using System.Net.Http;

namespace Berth.EndToEnd.Tests;

/// <summary>_ping, version, info: driven by the real docker CLI (28.2.2 on PATH) and by raw HTTP on the socket.</summary>
public sealed class SystemTests(DaemonProcess daemon) : IClassFixture<DaemonProcess>
{
    [Fact]
    public void Docker_cli_negotiates_api_1_44_and_prints_the_server()
    {
        Assert.Equal("1.44 1.24 linux amd64", Docker("version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}} {{.Server.Arch}}"));
    }

    [Fact]
    public void Docker_cli_info_reports_the_daemon_and_its_host()
    {
        var info = Docker("info", "--format", "{{.OSType}}|{{.DockerRootDir}}|{{.Swarm.LocalNodeState}}|{{.LoggingDriver}}|{{.NCPU}}");
        Assert.Equal($"linux|{daemon.DataRoot}|inactive|json-file|{Environment.ProcessorCount}", info);
    }

    [Fact]
    public async Task Ping_answers_head_and_get_with_the_headers_clients_read()
    {
        using var client = Client();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_ping"));
        Assert.Equal("1.44", head.Headers.GetValues("Api-Version").Single());
        Assert.Equal("linux", head.Headers.GetValues("Ostype").Single());
        Assert.Equal("inactive", head.Headers.GetValues("Swarm").Single());
        Assert.Equal("OK", await client.GetStringAsync("/v1.44/_ping"));
    }

    [Theory]
    [InlineData("/v1.99/version", 400, "client version 1.99 is too new. Maximum supported API version is 1.44")]
    [InlineData("/v1.12/version", 400, "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")]
    [InlineData("/containers/nope/frobnicate", 404, "page not found")]
    public async Task Errors_are_json_messages_with_the_exact_content_type(string path, int status, string message)
    {
        using var client = Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"{{\"message\":\"{message}\"}}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Info_reports_the_daemons_configuration()
    {
        Assert.Equal("true|berth|true|true|[\"127.0.0.0/8\",\"::1/128\"]",
            Docker("info", "--format", "{{.LiveRestoreEnabled}}|{{.DefaultRuntime}}|{{index .Runtimes \"berth\" | printf \"%v\" | ne \"\"}}" +
                "|{{(index .RegistryConfig.IndexConfigs \"docker.io\").Official}}|{{json .RegistryConfig.InsecureRegistryCIDRs}}"));
        Assert.Contains("Live Restore Enabled: true", daemon.Docker("info").Ok("info").Output);
    }

    [Fact]
    public void The_daemon_id_survives_a_restart()
    {
        var before = Docker("info", "--format", "{{.ID}}");
        daemon.Restart();
        Assert.Equal(before, Docker("info", "--format", "{{.ID}}"));
    }

    private string Docker(params string[] args) => daemon.Docker(args).Ok("docker " + string.Join(' ', args)).Output;

    private HttpClient Client() => daemon.ApiClient();
}
