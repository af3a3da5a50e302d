using Berth.Testing;

namespace Berth.EndToEnd.Tests.Registries;

/// <summary>A berthd started with <c>--registry</c>: it serves a registry of its own on TCP.</summary>
public sealed class RegistryHostingDaemon() : DaemonProcess(hostRegistry: true);

/// <summary>
/// <c>berthd --registry 127.0.0.1:PORT</c>: the daemon's own registry takes pushes and serves pulls, and answers
/// nothing of the Engine API on its port.
/// </summary>
public sealed class EmbeddedRegistryTests : IClassFixture<RegistryHostingDaemon>
{
    private readonly RegistryHostingDaemon _daemon;

    public EmbeddedRegistryTests(RegistryHostingDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task The_daemons_registry_takes_a_push_and_serves_the_pull_and_nothing_else()
    {
        var remote = $"{_daemon.HostedRegistry}/own/box:1";
        _daemon.Docker("tag", "busybox", remote).Ok("tag");
        Assert.Matches(@"1: digest: sha256:[0-9a-f]{64}", _daemon.Docker("push", remote).Ok("push").Output);
        _daemon.Docker("rmi", remote).Ok("rmi");
        Assert.Equal("own", _daemon.Docker("run", "--rm", remote, "echo", "own").Ok("run after a pull").Output);

        using var http = new HttpClient { BaseAddress = new Uri($"http://{_daemon.HostedRegistry}") };
        using var catalog = await http.GetAsync("/v2/_catalog");
        Assert.Contains("own/box", await catalog.Content.ReadAsStringAsync());
        using var engine = await http.GetAsync("/_ping");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, engine.StatusCode);
    }
}
