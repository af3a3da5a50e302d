using Berth.Api.Models.Containers;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class ContainerCommandTests
{
    private static ContainerSummary Summary(string id, string name, string image, long created, string status, params Port[] ports) => new()
    {
        Id = id,
        Names = ["/" + name],
        Image = image,
        ImageID = "sha256:" + new string('f', 64),
        Command = "sleep 1000",
        Created = created,
        Status = status,
        State = "running",
        Ports = [.. ports],
    };

    [Fact]
    public async Task Ps_prints_dockers_columns()
    {
        var cli = new TestCli();
        var now = cli.Now.ToUnixTimeSeconds();
        cli.Client.Containers.Add(Summary(new string('1', 64), "web", "docker.io/library/nginx:latest", now - 70, "Up About a minute",
            new Port { IP = "0.0.0.0", PrivatePort = 80, PublicPort = 8080, Type = "tcp" }));
        cli.Client.Containers.Add(Summary(new string('2', 64), "job", "busybox", now - 3, "Exited (0) 1 second ago"));
        Assert.Equal(0, await cli.RunAsync("ps", "-a"));
        var lines = cli.Stdout.Split('\n');
        Assert.Equal("CONTAINER ID   IMAGE          COMMAND        CREATED              STATUS                    PORTS                  NAMES", lines[0].TrimEnd());
        Assert.Equal("111111111111   nginx:latest   \"sleep 1000\"   About a minute ago   Up About a minute         0.0.0.0:8080->80/tcp   web", lines[1].TrimEnd());
        Assert.Equal("222222222222   busybox        \"sleep 1000\"   3 seconds ago        Exited (0) 1 second ago                          job", lines[2].TrimEnd());
        Assert.Contains("List all=True", cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Ps_quiet_and_format_and_filters()
    {
        var cli = new TestCli();
        cli.Client.Containers.Add(Summary(new string('1', 64), "web", "nginx", 0, "Up"));
        Assert.Equal(0, await cli.RunAsync("ps", "-q", "--filter", "label=a=b", "-f", "status=running"));
        Assert.Equal("111111111111\n", cli.Stdout);
        Assert.Equal("List all=False limit=0 size=False filters={\"label\":{\"a=b\":true},\"status\":{\"running\":true}}", cli.Client.Calls.Single());

        Assert.Equal(0, await cli.RunAsync("ps", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.Command}}"));
        Assert.Equal($"{new string('1', 64)} web \"sleep 1000\"\n", cli.Stdout);
    }

    [Fact]
    public async Task Ps_table_formats_with_labels_and_json()
    {
        var cli = new TestCli();
        var container = Summary(new string('1', 64), "web", "nginx", 0, "Up");
        container.Labels["tier"] = "front";
        cli.Client.Containers.Add(container);
        Assert.Equal(0, await cli.RunAsync("ps", "--format", "table {{.Names}}\t{{.Label \"tier\"}}"));
        Assert.Equal("NAMES     LABEL\nweb       front\n", cli.Stdout);

        Assert.Equal(0, await cli.RunAsync("ps", "--format", "json"));
        Assert.Contains("\"Names\":\"web\"", cli.Stdout);
        Assert.Contains("\"Command\":\"\\\"sleep 1000\\\"\"", cli.Stdout);
        Assert.Contains("\"Labels\":\"tier=front\"", cli.Stdout);
    }

    [Fact]
    public async Task Ps_json_escapes_html_inside_the_row_as_gos_marshaller_does_but_not_a_field()
    {
        var cli = new TestCli();
        cli.Client.Containers.Add(Summary(new string('1', 64), "web", "nginx", 0, "Up",
            new Port { IP = "0.0.0.0", PrivatePort = 80, PublicPort = 8080, Type = "tcp" }));
        Assert.Equal(0, await cli.RunAsync("ps", "--format", "{{json .}}"));
        Assert.Contains("\"Ports\":\"0.0.0.0:8080-\\u003e80/tcp\"", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("ps", "--format", "{{json .Ports}}"));
        Assert.Equal("\"0.0.0.0:8080->80/tcp\"\n", cli.Stdout);
    }

    [Fact]
    public async Task Ps_accepts_no_arguments()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("container", "ls", "extra"));
        Assert.Equal("berth: 'berth container ls' accepts no arguments\n\nUsage:  berth container ls [OPTIONS]\n\nRun 'berth container ls --help' for more information\n", cli.Stderr);
    }

    [Fact]
    public async Task Stop_prints_each_name_and_collects_failures()
    {
        var cli = new TestCli();
        cli.Client.KnownContainers = ["a"];
        Assert.Equal(1, await cli.RunAsync("stop", "-t", "3", "a", "b"));
        Assert.Equal("a\n", cli.Stdout);
        Assert.Equal("Error response from daemon: No such container: b\n", cli.Stderr);
        Assert.Equal("Stop a t=3 signal=", cli.Client.Calls[0]);
    }

    [Fact]
    public async Task Stop_without_a_timeout_leaves_it_to_the_daemon()
    {
        var cli = new TestCli();
        await cli.RunAsync("stop", "a");
        Assert.Equal("Stop a t= signal=", cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Rm_force_and_volumes()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("rm", "-fv", "a"));
        Assert.Equal("Remove a force=True v=True", cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Rm_of_several_removes_them_at_once_and_prints_them_in_order()
    {
        var cli = new TestCli();
        cli.Client.RemoveGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rm = cli.RunAsync("rm", "-f", "a", "b", "c");
        for (var i = 0; i < 500 && cli.Client.Calls.Count < 3; i++) await Task.Delay(10);

        Assert.Equal(3, cli.Client.Calls.Count); // all three asked for before any answered, as docker's parallelOperation
        cli.Client.RemoveGate.SetResult();
        Assert.Equal(0, await rm);
        Assert.Equal("a\nb\nc\n", cli.Stdout);
    }

    [Fact]
    public async Task Logs_demultiplex_unless_the_container_has_a_tty()
    {
        var cli = new TestCli();
        cli.Client.Inspects["c"] = new ContainerInspectResponse { Id = "c" };
        cli.Client.Logs = [.. SocketPair.Frame(1, "a\n"), .. SocketPair.Frame(2, "b\n")];
        Assert.Equal(0, await cli.RunAsync("logs", "-n", "5", "c"));
        Assert.Equal(("a\n", "b\n"), (cli.Stdout, cli.Stderr));
        Assert.Equal("Logs c follow=False tail=5 since= timestamps=False", cli.Client.Calls[1]);

        cli.Client.Inspects["c"].Config.Tty = true;
        cli.Client.Logs = "raw\r\n"u8.ToArray();
        await cli.RunAsync("logs", "c");
        Assert.Equal("raw\r\n", cli.Stdout);
    }

    [Fact]
    public async Task Exec_exits_with_the_exec_code_read_after_the_stream_ends()
    {
        using var pair = SocketPair.Create();
        var cli = new TestCli();
        cli.Client.Inspects["c"] = new ContainerInspectResponse { Id = "c" };
        cli.Client.ExecExitCode = 7;
        cli.Client.ExecAttach = _ => pair.Hijacked(tty: false);
        var daemon = Task.Run(() =>
        {
            pair.Server.Send(SocketPair.Frame(1, "hi\n"));
            pair.Server.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        Assert.Equal(7, await cli.RunAsync("exec", "-e", "A=1", "-u", "1", "-w", "/", "c", "sh", "-c", "exit 7"));
        await daemon;
        Assert.Equal("hi\n", cli.Stdout);
        Assert.Equal(["Inspect c", "ExecCreate c", "ExecAttach exec1 tty=False", "ExecInspect exec1"], cli.Client.Calls);
        var request = cli.Client.ExecRequests.Single();
        Assert.Equal(["sh", "-c", "exit 7"], request.Cmd);
        Assert.Equal(["A=1"], request.Env);
        Assert.True(request.AttachStdout && request.AttachStderr && !request.AttachStdin);
    }

    [Fact]
    public async Task Exec_on_a_missing_container_fails_before_creating_anything()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("exec", "nope", "true"));
        Assert.Equal("Error response from daemon: No such container: nope\n", cli.Stderr);
        Assert.Equal(["Inspect nope"], cli.Client.Calls);
    }

    [Fact]
    public async Task Exec_detached_starts_without_hijacking()
    {
        var cli = new TestCli();
        cli.Client.Inspects["c"] = new ContainerInspectResponse { Id = "c" };
        Assert.Equal(0, await cli.RunAsync("exec", "-d", "c", "sleep", "1"));
        Assert.Equal("ExecStartDetached exec1", cli.Client.Calls.Last());
    }

    [Fact]
    public async Task Inspect_prints_an_indented_array_or_the_format_and_reports_missing_objects()
    {
        var cli = new TestCli();
        cli.Client.Inspects["c"] = new ContainerInspectResponse { Id = "abc", Name = "/web", State = new ContainerState { Status = "running" } };
        Assert.Equal(0, await cli.RunAsync("inspect", "--format", "{{.Name}} {{.State.Status}}", "c"));
        Assert.Equal("/web running\n", cli.Stdout);

        Assert.Equal(1, await cli.RunAsync("inspect", "c", "missing"));
        Assert.StartsWith("[\n    {\n        \"Id\": \"abc\",", cli.Stdout);
        Assert.EndsWith("\n]\n", cli.Stdout);
        Assert.Equal("Error: No such object: missing\n", cli.Stderr);
    }

    [Fact]
    public async Task Inspect_of_nothing_found_prints_an_empty_array()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("container", "inspect", "x"));
        Assert.Equal("[]\n", cli.Stdout);
        Assert.Equal("Error response from daemon: No such container: x\n", cli.Stderr);

        Assert.Equal(1, await cli.RunAsync("container", "inspect", "-f", "{{.Id}}", "x"));
        Assert.Equal("\n", cli.Stdout);
    }

    [Fact]
    public async Task Wait_prints_the_exit_code()
    {
        var cli = new TestCli();
        cli.Client.WaitResult = new ContainerWaitResponse { StatusCode = 42 };
        Assert.Equal(0, await cli.RunAsync("wait", "c"));
        Assert.Equal("42\n", cli.Stdout);
    }

    [Fact]
    public async Task Start_without_attach_prints_names_and_reports_failures()
    {
        var cli = new TestCli();
        cli.Client.StartError = new Berth.Api.Client.ApiException(System.Net.HttpStatusCode.NotFound, "No such container: b");
        Assert.Equal(1, await cli.RunAsync("start", "b"));
        Assert.Equal("Error response from daemon: No such container: b\nError: failed to start containers: b\n", cli.Stderr);
    }

    [Fact]
    public async Task Top_aligns_the_daemons_table()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("top", "c"));
        Assert.Equal("UID                 PID                 CMD\nroot                1                   sleep 100\n", cli.Stdout);
    }

    [Fact]
    public async Task Prune_with_force_reports_what_went()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("container", "prune", "-f"));
        Assert.Equal("Deleted Containers:\nc1\n\nTotal reclaimed space: 2kB\n", cli.Stdout);
    }

    [Fact]
    public async Task Prune_without_confirmation_does_nothing()
    {
        var cli = new TestCli { Stdin = new MemoryStream("n\n"u8.ToArray()) };
        Assert.Equal(0, await cli.RunAsync("container", "prune"));
        Assert.Equal("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ", cli.Stdout);
    }
}
