using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary>
/// The flags docker 28 has for newer APIs, experimental daemons or Windows: parsed, left out of help as docker leaves
/// them out against berthd, and refused with docker's words before anything is sent.
/// </summary>
public sealed class UnsupportedFlagsTests
{
    [Theory]
    [InlineData("push --platform linux/amd64 a", "\"--platform\" requires API version 1.46, but the Berth daemon API version is 1.44")]
    [InlineData("image inspect --platform linux/amd64 a", "\"--platform\" requires API version 1.49, but the Berth daemon API version is 1.44")]
    [InlineData("save --platform linux/amd64 -o x a", "\"--platform\" requires API version 1.48, but the Berth daemon API version is 1.44")]
    [InlineData("load --platform linux/amd64", "\"--platform\" requires API version 1.48, but the Berth daemon API version is 1.44")]
    [InlineData("history --platform linux/amd64 a", "\"--platform\" requires API version 1.48, but the Berth daemon API version is 1.44")]
    [InlineData("rmi --platform linux/amd64 a", "\"--platform\" requires API version 1.50, but the Berth daemon API version is 1.44")]
    [InlineData("images --tree", "\"--tree\" requires API version 1.47, but the Berth daemon API version is 1.44")]
    [InlineData("start --checkpoint c a", "\"--checkpoint\" is only supported on a Berth daemon with experimental features enabled")]
    [InlineData("run --io-maxiops 5 --cpu-count 2 a", "\"--cpu-count\" is only supported on a Berth daemon running on windows, but the Berth daemon is running on linux\n"
        + "\"--io-maxiops\" is only supported on a Berth daemon running on windows, but the Berth daemon is running on linux")]
    public async Task A_flag_the_daemon_cannot_honour_is_refused_before_anything_is_sent(string line, string message)
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync(line.Split(' ')));
        Assert.Equal(message + "\n", cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }

    [Theory]
    [InlineData("push", "--platform")]
    [InlineData("images", "--tree")]
    [InlineData("start", "--checkpoint")]
    [InlineData("run", "--cpu-count")]
    public async Task Help_leaves_them_out(string command, string flag)
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync(command, "--help"));
        Assert.DoesNotContain(flag, cli.Stdout);
    }

    [Theory]
    [InlineData("pull")]
    [InlineData("push")]
    public async Task Content_trust_can_be_disabled_as_it_always_is(string command)
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync(command, "--help"));
        Assert.Contains("--disable-content-trust   Skip image ", cli.Stdout);
        Assert.Contains("(default true)", cli.Stdout);
    }
}
