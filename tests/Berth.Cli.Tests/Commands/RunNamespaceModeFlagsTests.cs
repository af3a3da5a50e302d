using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary>docker's CLI refuses an unknown PID, UTS, user or cgroup namespace mode itself, before any request.</summary>
public sealed class RunNamespaceModeFlagsTests
{
    [Theory]
    [InlineData("--pid", "bogus", "--pid: invalid PID mode")]
    [InlineData("--pid", "container:", "--pid: invalid PID mode")]
    [InlineData("--uts", "private", "--uts: invalid UTS mode")]
    [InlineData("--userns", "private", "--userns: invalid USER mode")]
    [InlineData("--cgroupns", "bogus", "--cgroupns: invalid CGROUP mode")]
    public async Task An_unknown_mode_exits_125_in_dockers_words(string flag, string value, string message)
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("run", flag, value, "busybox"));
        Assert.Equal($"berth: {message}\n\nRun 'berth run --help' for more information\n", cli.Stderr);
        Assert.Empty(cli.Client.CreateRequests);
    }

    [Theory]
    [InlineData("--pid", "host")]
    [InlineData("--pid", "container:db")]
    [InlineData("--uts", "host")]
    [InlineData("--userns", "host")]
    [InlineData("--cgroupns", "private")]
    public async Task A_known_mode_reaches_the_daemon(string flag, string value)
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("create", flag, value, "busybox"));
        Assert.Single(cli.Client.CreateRequests);
    }
}
