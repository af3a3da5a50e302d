using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary>The flags docker leaves to the daemon (annotations, real-time CPU, isolation, Windows-only limits) reach the create body.</summary>
public sealed class RunPassThroughFlagsTests
{
    [Fact]
    public async Task Pass_through_flags_fill_the_host_config()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("create", "--annotation", "org.example/a=1", "--annotation", "bare", "--cpu-rt-period", "1000",
            "--cpu-rt-runtime", "500", "--volume-driver", "local", "--isolation", "default", "--kernel-memory", "10m",
            "--disable-content-trust=false", "busybox"));

        var host = cli.Client.CreateRequests.Single().HostConfig!;
        Assert.Equal("1", host.Annotations!["org.example/a"]);
        Assert.Equal("", host.Annotations["bare"]);
        Assert.Equal((1000L, 500L), (host.CpuRealtimePeriod, host.CpuRealtimeRuntime));
        Assert.Equal(("local", "default"), (host.VolumeDriver, host.Isolation));
        Assert.Equal(10L << 20, host.KernelMemory);
    }

    [Theory]
    [InlineData("--cpu-count", "2")]
    [InlineData("--cpu-percent", "50")]
    [InlineData("--io-maxbandwidth", "1mb")]
    [InlineData("--io-maxiops", "100")]
    public async Task Windows_only_flags_are_refused_as_docker_refuses_them_for_a_linux_daemon(string flag, string value)
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("create", flag, value, "busybox"));
        Assert.Contains($"\"{flag}\" is only supported on a Berth daemon running on windows, but the Berth daemon is running on linux", cli.Stderr);
        Assert.Empty(cli.Client.CreateRequests);
    }
}
