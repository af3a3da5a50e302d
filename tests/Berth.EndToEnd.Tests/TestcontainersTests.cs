using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;
using TcWait = DotNet.Testcontainers.Builders.Wait;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Testcontainers for .NET (NuGet), unchanged, against berthd: a container with a random mapped port, waited for by
/// an HTTP request from the host, reached over 127.0.0.1. Ryuk (the reaper image) is off: there is no Docker Hub here.
/// </summary>
public sealed class TestcontainersTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public TestcontainersTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task A_container_with_a_mapped_port_answers_over_127_0_0_1()
    {
        TestcontainersSettings.ResourceReaperEnabled = false;
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(_daemon.Host)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithCommand("sh", "-c", "mkdir -p /www && echo hello from testcontainers > /www/index.html && exec httpd -f -p 80 -h /www")
            .WithPortBinding(80, assignRandomHostPort: true)
            .WithWaitStrategy(TcWait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(80)))
            .Build();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await container.StartAsync(timeout.Token);

        var port = container.GetMappedPublicPort(80);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Testcontainers' own host: 127.0.0.1, or the network's gateway when it finds itself in a container (/.dockerenv).
        var body = await http.GetStringAsync($"http://{container.Hostname}:{port}/", timeout.Token);
        Assert.Equal("hello from testcontainers", body.Trim());
        var loopback = await http.GetStringAsync($"http://127.0.0.1:{port}/", timeout.Token);
        Assert.Equal("hello from testcontainers", loopback.Trim());
        Assert.False(string.IsNullOrEmpty(container.IpAddress));
    }

    [PrivilegedFact]
    public async Task Resource_mappings_copy_files_in_before_start_and_files_are_read_back()
    {
        TestcontainersSettings.ResourceReaperEnabled = false;
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(_daemon.Host)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithResourceMapping("mapped before start\n"u8.ToArray(), FilePath.Of("/app/config.txt"))
            .WithCommand("sh", "-c", "cp /app/config.txt /app/seen.txt && exec sleep 300")
            .WithWaitStrategy(TcWait.ForUnixContainer().UntilFileExists("/app/seen.txt", FileSystem.Container))
            .Build();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await container.StartAsync(timeout.Token);

        Assert.Equal("mapped before start\n", global::System.Text.Encoding.UTF8.GetString(await container.ReadFileAsync("/app/seen.txt", timeout.Token)));
        await container.CopyAsync("copied while running\n"u8.ToArray(), "/tmp/later.txt", ct: timeout.Token);
        var result = await container.ExecAsync(["cat", "/tmp/later.txt"], timeout.Token);
        Assert.Equal("copied while running\n", result.Stdout);
    }
}
