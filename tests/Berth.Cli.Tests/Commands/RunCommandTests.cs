using System.Net;
using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class RunCommandTests
{
    private static readonly string Id = new('a', 64);

    [Fact]
    public async Task An_unknown_flag_exits_125_with_dockers_hint()
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("run", "--bogus", "busybox"));
        Assert.Equal("unknown flag: --bogus\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n", cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }

    [Fact]
    public async Task Detached_run_creates_opens_the_wait_before_start_and_prints_the_id()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("run", "-d", "--name", "web", "-e", "A=1", "-l", "k=v", "busybox", "sleep", "100"));
        Assert.Equal([$"Create busybox name=web", $"Wait {Id} next-exit", $"Start {Id}"], cli.Client.Calls);
        Assert.Equal(Id + "\n", cli.Stdout);
        var request = cli.Client.CreateRequests.Single();
        Assert.Equal(["sleep", "100"], request.Cmd);
        Assert.Equal(["A=1"], request.Env);
        Assert.Equal("v", request.Labels!["k"]);
        Assert.False(request.AttachStdout);
        Assert.Equal("default", request.HostConfig!.NetworkMode);
    }

    [Fact]
    public async Task With_rm_the_wait_condition_is_removed()
    {
        var cli = new TestCli();
        await cli.RunAsync("run", "-d", "--rm", "busybox");
        Assert.Contains($"Wait {Id} removed", cli.Client.Calls);
        Assert.True(cli.Client.CreateRequests.Single().HostConfig!.AutoRemove);
    }

    [Fact]
    public async Task A_missing_image_is_pulled_then_created_again()
    {
        var cli = new TestCli();
        cli.Client.KnownImages = [];
        Assert.Equal(0, await cli.RunAsync("run", "-d", "busybox"));
        Assert.Equal(["Create busybox name=", "Pull busybox tag=latest", "Create busybox name="], cli.Client.Calls.Take(3));
        Assert.StartsWith("Unable to find image 'busybox:latest' locally\nlatest: Pulling from library/busybox\n", cli.Stderr);
    }

    [Fact]
    public async Task A_create_error_exits_125_with_the_daemons_message()
    {
        var cli = new TestCli();
        cli.Client.KnownImages = [];
        cli.Client.PullMessages.Clear();
        cli.Client.PullMessages.Add(new() { Error = "pull access denied", ErrorDetail = new() { Message = "pull access denied" } });
        Assert.Equal(125, await cli.RunAsync("run", "nosuch"));
        Assert.EndsWith("berth: pull access denied\n\nRun 'berth run --help' for more information\n", cli.Stderr);
    }

    [Theory]
    [InlineData("exec: \"nope\": executable file not found in $PATH", 127)]
    [InlineData("exec: \"/etc\": is a directory", 126)]
    [InlineData("port is already allocated", 125)]
    public async Task Start_failures_exit_as_docker_does(string message, int code)
    {
        var cli = new TestCli();
        cli.Client.StartError = new ApiException(HttpStatusCode.InternalServerError, message);
        Assert.Equal(code, await cli.RunAsync("run", "-d", "busybox"));
        Assert.Contains($"berth: Error response from daemon: {message}", cli.Stderr);
    }

    [Fact]
    public async Task Attached_run_streams_demultiplexed_output_and_exits_with_the_containers_code()
    {
        using var pair = SocketPair.Create();
        var cli = new TestCli();
        cli.Client.WaitResult = new ContainerWaitResponse { StatusCode = 3 };
        cli.Client.Attach = (_, _) => pair.Hijacked(tty: false);
        var daemon = Task.Run(() =>
        {
            pair.Server.Send(SocketPair.Frame(1, "out\n"));
            pair.Server.Send(SocketPair.Frame(2, "err\n"));
            pair.Server.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        Assert.Equal(3, await cli.RunAsync("run", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"));
        await daemon;
        Assert.Equal("out\n", cli.Stdout);
        Assert.Equal("err\n", cli.Stderr);
        Assert.Equal(["Create busybox name=", $"Attach {Id} stdin=False stdout=True stderr=True", $"Wait {Id} next-exit", $"Start {Id}"], cli.Client.Calls);
        Assert.Null(cli.Signals.Handler);
    }

    [Fact]
    public async Task Interactive_run_sends_stdin_then_half_closes()
    {
        using var pair = SocketPair.Create();
        var cli = new TestCli { Stdin = new MemoryStream("hello\n"u8.ToArray()) };
        cli.Client.Attach = (_, _) => pair.Hijacked(tty: false);
        var daemon = Task.Run(() =>
        {
            var received = new MemoryStream();
            var buffer = new byte[64];
            int n;
            while ((n = pair.Server.Receive(buffer)) > 0)
                received.Write(buffer, 0, n);
            pair.Server.Send(SocketPair.Frame(1, System.Text.Encoding.UTF8.GetString(received.ToArray())));
            pair.Server.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        Assert.Equal(0, await cli.RunAsync("run", "-i", "busybox", "cat"));
        await daemon;
        Assert.Equal("hello\n", cli.Stdout);
        var request = cli.Client.CreateRequests.Single();
        Assert.True(request.OpenStdin && request.AttachStdin && request.StdinOnce);
    }

    [Fact]
    public async Task A_tty_without_a_terminal_on_stdin_is_refused()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("run", "-it", "busybox"));
        Assert.Equal("the input device is not a TTY\n", cli.Stderr);
    }

    [Fact]
    public async Task Tty_run_uses_raw_mode_and_restores_it()
    {
        using var pair = SocketPair.Create();
        var cli = new TestCli { Stdin = new MemoryStream() };
        cli.Terminal.IsStdinTerminal = true;
        cli.Terminal.IsStdoutTerminal = true;
        cli.Terminal.Size = (40, 120);
        cli.Client.Attach = (_, _) => pair.Hijacked(tty: true);
        var daemon = Task.Run(() =>
        {
            pair.Server.Send("raw\r\n"u8.ToArray());
            pair.Server.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        Assert.Equal(0, await cli.RunAsync("run", "-it", "busybox", "sh"));
        await daemon;
        Assert.Equal("raw\r\n", cli.Stdout);
        Assert.Equal((1, 1), (cli.Terminal.RawCount, cli.Terminal.RestoredCount));
        Assert.Equal([40u, 120u], cli.Client.CreateRequests.Single().HostConfig!.ConsoleSize!);
    }

    [Fact]
    public async Task Resource_and_security_flags_reach_the_host_config()
    {
        var cli = new TestCli();
        await cli.RunAsync("run", "-d", "-m", "64m", "--memory-swap", "-1", "--cpus", "0.5", "--pids-limit", "10", "--ulimit", "nofile=10:20",
            "--read-only", "--tmpfs", "/run:size=1m", "--cap-add", "NET_ADMIN", "--cap-drop", "ALL", "--privileged", "--init",
            "--restart", "on-failure:2", "--network", "none", "-w", "/tmp", "-u", "1000", "--entrypoint", "", "-h", "box",
            "--health-cmd", "true", "--health-interval", "5s", "--stop-signal", "SIGINT", "--stop-timeout", "3", "-p", "8080:80", "busybox");
        var request = cli.Client.CreateRequests.Single();
        var host = request.HostConfig!;
        Assert.Equal(64L << 20, host.Memory);
        Assert.Equal(-1, host.MemorySwap);
        Assert.Equal(500_000_000, host.NanoCpus);
        Assert.Equal(10, host.PidsLimit);
        Assert.Equal(20, host.Ulimits!.Single().Hard);
        Assert.True(host.ReadonlyRootfs && host.Privileged && host.Init == true);
        Assert.Equal("size=1m", host.Tmpfs!["/run"]);
        Assert.Equal(("on-failure", 2), (host.RestartPolicy.Name, host.RestartPolicy.MaximumRetryCount));
        Assert.Equal("none", host.NetworkMode);
        Assert.Equal([""], request.Entrypoint);
        Assert.Equal(("/tmp", "1000", "box"), (request.WorkingDir, request.User, request.Hostname));
        Assert.Equal(["CMD-SHELL", "true"], request.Healthcheck!.Test);
        Assert.Equal(5_000_000_000, request.Healthcheck.Interval);
        Assert.Equal(("SIGINT", 3), (request.StopSignal, request.StopTimeout));
        Assert.Equal("8080", host.PortBindings!["80/tcp"]!.Single().HostPort);
        Assert.True(request.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.Null(host.MemorySwappiness);
    }

    [Theory]
    [InlineData(new[] { "--rm", "--restart", "always" }, "berth: conflicting options: cannot specify both --restart and --rm")]
    [InlineData(new[] { "--no-healthcheck", "--health-cmd", "x" }, "berth: --no-healthcheck conflicts with --health-* options")]
    public async Task Invalid_combinations_exit_125(string[] flags, string message)
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync(["run", .. flags, "busybox"]));
        Assert.Equal(message + "\n\nRun 'berth run --help' for more information\n", cli.Stderr);
    }

    [Fact]
    public async Task A_bad_memory_value_is_a_flag_error()
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("run", "-m", "lots", "busybox"));
        Assert.Equal("invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n", cli.Stderr);
    }
}
