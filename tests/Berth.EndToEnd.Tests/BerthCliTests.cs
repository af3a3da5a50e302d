using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>Our own CLI, <c>berth</c>, against berthd: the same commands and outputs a docker user expects.</summary>
public sealed class BerthCliTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public BerthCliTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        Assert.True(File.Exists(RepoPaths.Cli), $"{RepoPaths.Cli} is missing: run scripts/build.sh first");
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Berth(params string[] args) => _daemon.Berth(args);

    [PrivilegedFact]
    public void Run_rm_prints_and_exits_with_the_containers_code()
    {
        Assert.Equal("hello", Berth("run", "--rm", "busybox", "echo", "hello").Ok("run").Output);
        var failed = Berth("run", "--rm", "busybox", "sh", "-c", "echo err >&2; exit 3");
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("err", failed.Stderr);
        Assert.Equal(127, Berth("run", "--rm", "busybox", "no-such-binary").ExitCode);
    }

    [PrivilegedFact]
    public void Run_i_feeds_stdin()
    {
        Assert.Equal("abc", _daemon.BerthWithInput("abc", "run", "--rm", "-i", "busybox", "cat").Ok("run -i").Output);
    }

    [PrivilegedFact]
    public void Run_it_on_a_terminal()
    {
        var result = Commands.OnTerminal($"{RepoPaths.Cli} -H {_daemon.Host} run -it --rm busybox sh -c 'tty; stty size; exit 6'", rows: 30, columns: 90);
        Assert.Equal(6, result.ExitCode);
        Assert.Contains("/dev/pts/0", result.Stdout);
        Assert.Contains("30 90", result.Stdout);
    }

    [PrivilegedFact]
    public void Ps_images_inspect_logs_exec_and_stop_with_formats()
    {
        var id = Berth("run", "-d", "--name", "cli-ticker", "-l", "tier=test", "busybox", "sh", "-c", "trap 'exit 0' TERM; while true; do echo tick; sleep 0.2; done").Ok("run -d").Output;
        Assert.Equal(64, id.Length);
        Assert.Equal($"{id[..12]} cli-ticker", Berth("ps", "--filter", "label=tier=test", "--format", "{{.ID}} {{.Names}}").Ok("ps").Output);
        Assert.Equal("running test", Berth("inspect", "--format", "{{.State.Status}} {{index .Config.Labels \"tier\"}}", "cli-ticker").Ok("inspect").Output);
        Assert.Equal(id[..12], Berth("ps", "-q", "--filter", "name=cli-ticker").Ok("ps -q").Output);
        Assert.Contains("busybox", Berth("images", "--format", "{{.Repository}}:{{.Tag}}").Ok("images").Output);
        var header = Berth("ps").Ok("ps").Output.Split('\n')[0];
        Assert.Matches("^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$", header);

        Assert.Equal(4, Berth("exec", "cli-ticker", "sh", "-c", "exit 4").ExitCode);
        Wait.Until(() => Berth("logs", "cli-ticker").Ok("logs").Output.Contains("tick"), "a tick in the log");
        Berth("stop", "cli-ticker").Ok("stop");
        Assert.Contains("Exited (0)", Berth("ps", "-a", "--filter", "name=cli-ticker", "--format", "{{.Status}}").Ok("ps -a").Output);
        Berth("rm", "cli-ticker").Ok("rm");
    }

    [PrivilegedFact]
    public void Errors_are_docker_shaped()
    {
        var missing = Berth("inspect", "no-such-thing");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No such object: no-such-thing", missing.Stderr);
        var rm = Berth("rm", "no-such-container");
        Assert.NotEqual(0, rm.ExitCode);
        Assert.Contains("Error response from daemon: No such container: no-such-container", rm.Stderr);
    }
}
