using System.Text;
using System.Text.Json;
using Berth.Cri.V1;
using Berth.Testing;
using Grpc.Core;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>
/// Exec, Attach and PortForward as crictl and kubelet's proxy drive them: the RPC answers a URL of berthd's streaming
/// server on 127.0.0.1, the client upgrades to SPDY/3.1 and opens its streams (<see cref="StreamingClient"/>).
/// </summary>
public sealed class CriStreamingTests : IClassFixture<CriDaemon>
{
    private readonly CriDaemon _daemon;

    public CriStreamingTests(CriDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task Exec_takes_stdin_splits_stdout_and_stderr_and_reports_the_exit_code_in_a_v4_status()
    {
        var (_, id) = await RunAsync("exec", "exec sleep 1000");
        var response = await _daemon.Runtime.ExecAsync(new ExecRequest
        {
            ContainerId = id, Cmd = { "sh", "-c", "cat; echo oops >&2; exit 3" }, Stdin = true, Stdout = true, Stderr = true,
        });
        Assert.StartsWith("http://127.0.0.1:", response.Url);

        var (client, _) = await StreamingClient.ConnectAsync(response.Url, "v4.channel.k8s.io", "v3.channel.k8s.io");
        await using var session = client!;
        var error = await session.OpenAsync(("streamtype", "error"));
        var stdin = await session.OpenAsync(("streamtype", "stdin"));
        var stdout = await session.OpenAsync(("streamtype", "stdout"));
        var stderr = await session.OpenAsync(("streamtype", "stderr"));
        await stdin.WriteAsync("hello from stdin\n"u8.ToArray());
        await stdin.CloseWriteAsync();

        Assert.Equal("v4.channel.k8s.io", session.Protocol);
        Assert.Equal("hello from stdin\n", await StreamingClient.ReadAllAsync(stdout));
        Assert.Equal("oops\n", await StreamingClient.ReadAllAsync(stderr));
        using var status = JsonDocument.Parse(await StreamingClient.ReadAllAsync(error));
        Assert.Equal("Failure", status.RootElement.GetProperty("status").GetString());
        Assert.Equal("NonZeroExitCode", status.RootElement.GetProperty("reason").GetString());
        var cause = status.RootElement.GetProperty("details").GetProperty("causes")[0];
        Assert.Equal(("ExitCode", "3"), (cause.GetProperty("reason").GetString(), cause.GetProperty("message").GetString()));
    }

    [PrivilegedFact]
    public async Task Exec_with_a_terminal_takes_its_size_from_the_resize_stream()
    {
        var (_, id) = await RunAsync("tty", "exec sleep 1000");
        var response = await _daemon.Runtime.ExecAsync(new ExecRequest
        {
            ContainerId = id, Cmd = { "sh", "-c", "read go; stty size; exit 0" }, Tty = true, Stdin = true, Stdout = true,
        });

        var (client, _) = await StreamingClient.ConnectAsync(response.Url, "v4.channel.k8s.io");
        await using var session = client!;
        var error = await session.OpenAsync(("streamtype", "error"));
        var stdin = await session.OpenAsync(("streamtype", "stdin"));
        var stdout = await session.OpenAsync(("streamtype", "stdout"));
        var resize = await session.OpenAsync(("streamtype", "resize"));
        await resize.WriteAsync("{\"Width\":123,\"Height\":45}\n"u8.ToArray());
        await Task.Delay(500); // the size reaches the terminal before the shell reads it
        await stdin.WriteAsync("go\r"u8.ToArray());

        var output = await StreamingClient.ReadAllAsync(stdout);
        Assert.Contains("45 123", output);
        Assert.Equal("Success", JsonDocument.Parse(await StreamingClient.ReadAllAsync(error)).RootElement.GetProperty("status").GetString());
    }

    [PrivilegedFact]
    public async Task Before_v4_a_failure_is_the_error_streams_text_and_a_token_serves_once()
    {
        var (_, id) = await RunAsync("v2", "exec sleep 1000");
        var response = await _daemon.Runtime.ExecAsync(new ExecRequest { ContainerId = id, Cmd = { "sh", "-c", "echo out; exit 7" }, Stdout = true });

        var (client, _) = await StreamingClient.ConnectAsync(response.Url, "v2.channel.k8s.io");
        await using (var session = client!)
        {
            var error = await session.OpenAsync(("streamtype", "error"));
            var stdout = await session.OpenAsync(("streamtype", "stdout"));

            Assert.Equal("out\n", await StreamingClient.ReadAllAsync(stdout));
            Assert.Equal("command terminated with non-zero exit code: error executing command [sh -c echo out; exit 7], exit code 7",
                await StreamingClient.ReadAllAsync(error));
        }
        var (again, refusal) = await StreamingClient.ConnectAsync(response.Url, "v4.channel.k8s.io");
        Assert.Null(again);
        Assert.StartsWith("HTTP/1.1 404", refusal);

        var fresh = await _daemon.Runtime.ExecAsync(new ExecRequest { ContainerId = id, Cmd = { "true" }, Stdout = true });
        var (none, forbidden) = await StreamingClient.ConnectAsync(fresh.Url, "v9.channel.k8s.io");
        Assert.Null(none);
        Assert.StartsWith("HTTP/1.1 403", forbidden);
        Assert.Contains("X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io", forbidden);
    }

    [PrivilegedFact]
    public async Task A_streaming_request_the_container_cannot_serve_is_refused_by_the_RPC()
    {
        var (_, id) = await RunAsync("refused", "exec sleep 1000");

        var both = await Assert.ThrowsAsync<RpcException>(() => _daemon.Runtime.ExecAsync(
            new ExecRequest { ContainerId = id, Cmd = { "sh" }, Tty = true, Stdout = true, Stderr = true }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => _daemon.Runtime.AttachAsync(
            new AttachRequest { ContainerId = "nosuchcontainer", Stdout = true }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, both.StatusCode);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [PrivilegedFact]
    public async Task Attach_joins_the_containers_stdin_and_stdout()
    {
        var (_, id) = await RunAsync("attach", "read line; echo got $line; exec sleep 1000", stdin: true);
        var response = await _daemon.Runtime.AttachAsync(new AttachRequest { ContainerId = id, Stdin = true, Stdout = true, Stderr = true });

        var (client, _) = await StreamingClient.ConnectAsync(response.Url, "v4.channel.k8s.io");
        await using var session = client!;
        await session.OpenAsync(("streamtype", "error"));
        var stdin = await session.OpenAsync(("streamtype", "stdin"));
        var stdout = await session.OpenAsync(("streamtype", "stdout"));
        await session.OpenAsync(("streamtype", "stderr"));
        await stdin.WriteAsync("attached\n"u8.ToArray());

        Assert.Contains("got attached", await StreamingClient.ReadUntilAsync(stdout, "got attached"));
    }

    [PrivilegedFact]
    public async Task PortForward_reaches_a_server_on_the_pods_loopback_and_reports_a_closed_port()
    {
        var (sandbox, _) = await RunAsync("forward", "mkdir -p /www && echo forwarded > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www");
        var response = await _daemon.Runtime.PortForwardAsync(new PortForwardRequest { PodSandboxId = sandbox, Port = { 8080 } });
        var (client, _) = await StreamingClient.ConnectAsync(response.Url, "portforward.k8s.io");
        await using var session = client!;

        var body = "";
        for (var attempt = 0; attempt < 50 && !body.Contains("forwarded", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100); // httpd starts listening
            var error = await session.OpenAsync(("streamtype", "error"), ("port", "8080"), ("requestid", attempt.ToString()));
            var data = await session.OpenAsync(("streamtype", "data"), ("port", "8080"), ("requestid", attempt.ToString()));
            await error.CloseWriteAsync();
            await data.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
            body = await StreamingClient.ReadAllAsync(data);
        }
        Assert.Contains("forwarded", body);

        var refusedError = await session.OpenAsync(("streamtype", "error"), ("port", "8081"), ("requestid", "closed"));
        var refusedData = await session.OpenAsync(("streamtype", "data"), ("port", "8081"), ("requestid", "closed"));
        Assert.Equal("", await StreamingClient.ReadAllAsync(refusedData));
        Assert.Contains("error forwarding port 8081 to pod", await StreamingClient.ReadAllAsync(refusedError));
    }

    private async Task<(string Sandbox, string Container)> RunAsync(string name, string script, bool stdin = false)
    {
        var pod = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "streaming", Uid = Guid.NewGuid().ToString("N") },
            LogDirectory = Path.Combine(_daemon.Directory, "pods", "streaming-" + name),
        };
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var id = (await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox, SandboxConfig = pod,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "app" }, Image = new ImageSpec { Image = "busybox" },
                Command = { "sh", "-c", script }, Stdin = stdin, LogPath = "app.log",
            },
        })).ContainerId;
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        return (sandbox, id);
    }
}
