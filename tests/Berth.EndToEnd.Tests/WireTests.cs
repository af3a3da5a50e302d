using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>The wire details clients depend on (docker-engine-api.md §3), checked on raw connections.</summary>
public sealed class WireTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public WireTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task Wait_flushes_its_headers_before_the_container_exits()
    {
        var id = _daemon.Docker("create", "busybox", "sh", "-c", "sleep 0.5; exit 3").Ok("create").Output;
        using var client = Client();
        using var wait = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1.44/containers/{id}/wait?condition=next-exit"),
            HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(5)); // headers arrive while it has not even started
        Assert.Equal("application/json", wait.Content.Headers.ContentType!.ToString());
        _daemon.Docker("start", id).Ok("start");
        Assert.Equal("{\"StatusCode\":3}", (await wait.Content.ReadAsStringAsync()).Trim());
        _daemon.Docker("rm", id).Ok("rm");
    }

    [PrivilegedFact]
    public async Task Logs_are_chunked_multiplexed_frames_without_a_tty()
    {
        var id = _daemon.Docker("run", "-d", "busybox", "sh", "-c", "echo out; echo err >&2").Ok("run -d").Output;
        _daemon.Docker("wait", id).Ok("wait");
        using var client = Client();
        using var logs = await client.GetAsync($"/containers/{id}/logs?stdout=1&stderr=1&timestamps=1");
        Assert.Equal("application/vnd.docker.multiplexed-stream", logs.Content.Headers.ContentType!.ToString());
        Assert.True(logs.Headers.TransferEncodingChunked);
        var body = await logs.Content.ReadAsByteArrayAsync();
        Assert.Equal(1, body[0]);
        var first = Encoding.ASCII.GetString(body, 8, (body[6] << 8) | body[7]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z out\n$", first);
        var none = await client.GetAsync($"/containers/{id}/logs");
        Assert.Equal(400, (int)none.StatusCode);
        Assert.Contains("you must choose at least one stream", await none.Content.ReadAsStringAsync());
        _daemon.Docker("rm", id).Ok("rm");
    }

    [PrivilegedFact]
    public async Task An_unknown_exec_start_is_a_json_404_not_a_hijack()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_daemon.Socket));
        const string body = "{\"Detach\":false,\"Tty\":false}";
        var request = $"POST /v1.44/exec/no-such-exec/start HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n" +
                      $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        var n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var answer = Encoding.ASCII.GetString(buffer, 0, n);
        Assert.StartsWith("HTTP/1.1 404 ", answer);
        Assert.Contains("Content-Type: application/json\r\n", answer);
        Assert.EndsWith("{\"message\":\"No such exec instance: no-such-exec\"}", answer);
    }

    [PrivilegedFact]
    public async Task Attach_answers_101_with_the_headers_the_clients_parse()
    {
        var id = _daemon.Docker("create", "busybox", "echo", "attached").Ok("create").Output;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_daemon.Socket));
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"POST /v1.44/containers/{id}/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
        var head = await ReadUntilAsync(socket, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101 UPGRADED\r\n", head);
        Assert.Contains("Content-Type: application/vnd.docker.multiplexed-stream\r\n", head);
        Assert.Contains("Connection: Upgrade\r\n", head);
        Assert.Contains("Upgrade: tcp\r\n", head);
        _daemon.Docker("start", id).Ok("start");
        var rest = await ReadToEndAsync(socket);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 9 }, rest[..8]);
        Assert.Equal("attached\n", Encoding.ASCII.GetString(rest, 8, 9));
        // The stream ends when the output does, which need not be after the exit is recorded (as in moby): wait, then rm.
        _daemon.Docker("wait", id).Ok("wait");
        _daemon.Docker("rm", id).Ok("rm");
    }

    [PrivilegedFact]
    public async Task Events_stream_container_lifecycle_with_legacy_fields()
    {
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var id = _daemon.Docker("run", "--rm", "--name", "evented", "-l", "probe=1", "busybox", "true").Ok("run").Output;
        var until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var events = _daemon.Docker("events", "--since", since.ToString(), "--until", until.ToString(), "--filter", "label=probe=1",
            "--format", "{{.Status}} {{.Type}} {{.Action}} {{.Actor.Attributes.name}}").Ok("events").Output.Split('\n');
        Assert.Equal(["create container create evented", "attach container attach evented", "start container start evented",
            "die container die evented", "destroy container destroy evented"], events);
    }

    [PrivilegedFact]
    public async Task Loading_what_is_not_a_tar_answers_200_with_the_error_in_the_stream()
    {
        using var client = Client();
        using var load = await client.PostAsync("/v1.44/images/load", new ByteArrayContent(Encoding.ASCII.GetBytes("root:x:0:0:root:/root:/bin/sh\n")));

        Assert.Equal(200, (int)load.StatusCode);
        Assert.Equal("application/json", load.Content.Headers.ContentType!.ToString());
        var message = JsonDocument.Parse(await load.Content.ReadAsStringAsync()).RootElement;
        var error = message.GetProperty("error").GetString()!;
        Assert.Equal("invalid archive: the archive ends inside a header", error);
        Assert.Equal(error, message.GetProperty("errorDetail").GetProperty("message").GetString());
        var cli = _daemon.DockerWithInput(new string('x', 1024), "load");
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("invalid archive: a header's checksum is not an octal number", cli.Stderr);
        Assert.DoesNotContain("_", cli.Stderr); // never a .NET resource key such as IO_EOF_ReadBeyondEOF
    }

    [PrivilegedFact]
    public async Task Null_fields_read_as_their_zero_value_as_in_go()
    {
        const string body = """
            {"Image":"busybox","Cmd":["true"],"Hostname":null,"Tty":null,"StopTimeout":null,
             "Healthcheck":{"Test":["CMD","true"],"Interval":null,"Timeout":null,"StartPeriod":null,"Retries":null},
             "HostConfig":{"Memory":null,"RestartPolicy":null,"LogConfig":null,"NetworkMode":null,"Binds":null}}
            """;
        using var client = Client();

        using var create = await client.PostAsync("/v1.44/containers/create", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(201, (int)create.StatusCode);
        var id = JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString()!;
        Assert.Equal("0 false", _daemon.Docker("inspect", "-f", "{{.HostConfig.Memory}} {{.Config.Tty}}", id).Ok("inspect").Output);
        _daemon.Docker("rm", id).Ok("rm");
        using var wrongType = await client.PostAsync("/v1.44/containers/create", new StringContent("""{"Image":"busybox","HostConfig":{"Memory":"lots"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)wrongType.StatusCode);
        Assert.Contains("invalid JSON at HostConfig.Memory (line 1, byte ", await wrongType.Content.ReadAsStringAsync());
    }

    [PrivilegedFact]
    public async Task A_value_too_long_to_be_stored_is_refused_before_it_is_decoded_and_creates_nothing()
    {
        var prefix = """{"Image":"busybox","Cmd":["true"],"Labels":{"test.oversized":"1"},"Env":["BIG="""u8.ToArray();
        var suffix = "\"]}"u8.ToArray();
        var body = new byte[prefix.Length + 170_000_000 + suffix.Length];
        prefix.CopyTo(body, 0);
        body.AsSpan(prefix.Length, 170_000_000).Fill((byte)'x');
        suffix.CopyTo(body, body.Length - suffix.Length);
        using var client = Client();

        using var create = await client.PostAsync("/v1.44/containers/create", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        Assert.Equal(400, (int)create.StatusCode);
        Assert.Contains("a value of the request body is larger than 166 MB (170000004 bytes at byte ", await create.Content.ReadAsStringAsync());
        Assert.Equal("", _daemon.Docker("ps", "-aq", "--filter", "label=test.oversized").Ok("ps").Output);
    }

    [PrivilegedFact]
    public async Task An_exec_on_a_terminal_started_without_one_is_multiplexed_and_leaves_exec_ids_when_done()
    {
        var id = _daemon.Docker("run", "-d", "busybox", "sleep", "60").Ok("run -d").Output;
        using var client = Client();
        using var created = await client.PostAsync($"/v1.44/containers/{id}/exec",
            new StringContent("""{"Cmd":["echo","framed"],"Tty":true,"AttachStdout":true}""", Encoding.UTF8, "application/json"));
        var execId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString()!;
        Assert.Contains(execId, _daemon.Docker("inspect", "-f", "{{.ExecIDs}}", id).Output);

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_daemon.Socket));
        const string body = "{\"Detach\":false,\"Tty\":false}";
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST /v1.44/exec/{execId}/start HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\n" +
            $"Upgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        Assert.Contains("Content-Type: application/vnd.docker.multiplexed-stream\r\n", await ReadUntilAsync(socket, "\r\n\r\n"));
        var rest = await ReadToEndAsync(socket);

        Assert.Equal(new byte[] { 1, 0, 0, 0 }, rest[..4]);
        Assert.Equal("framed\r\n", Encoding.ASCII.GetString(rest, 8, (rest[6] << 8) | rest[7]));
        var inspect = JsonDocument.Parse(await client.GetStringAsync($"/v1.44/exec/{execId}/json")).RootElement;
        Assert.True(inspect.GetProperty("ProcessConfig").GetProperty("tty").GetBoolean());
        Assert.Equal(0, inspect.GetProperty("ExitCode").GetInt32());
        Assert.Equal("[]", _daemon.Docker("inspect", "-f", "{{.ExecIDs}}", id).Output);
        _daemon.Docker("rm", "-f", id).Ok("rm -f");
    }

    [PrivilegedFact]
    public async Task The_detach_keys_end_an_attach_and_the_container_runs_on()
    {
        var id = _daemon.Docker("run", "-d", "-i", "busybox", "cat").Ok("run -d -i").Output;
        foreach (var (query, keys) in new[] { ("", new byte[] { 16, 17 }), ("&detachKeys=ctrl-x,x", new byte[] { 24, (byte)'x' }) })
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_daemon.Socket));
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"POST /v1.44/containers/{id}/attach?stream=1&stdin=1&stdout=1{query} HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 101 UPGRADED\r\n", await ReadUntilAsync(socket, "\r\n\r\n"));
            await socket.SendAsync(Encoding.ASCII.GetBytes("echoed\n"));
            var echo = new byte[8 + 7];
            for (var read = 0; read < echo.Length;)
                read += await socket.ReceiveAsync(echo.AsMemory(read)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("echoed\n", Encoding.ASCII.GetString(echo, 8, 7));
            await socket.SendAsync(keys);
            Assert.Empty(await ReadToEndAsync(socket)); // ends: the daemon closed the stream
            Assert.Equal("running", _daemon.Docker("inspect", "-f", "{{.State.Status}}", id).Output);
        }
        using (var bad = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await bad.ConnectAsync(new UnixDomainSocketEndPoint(_daemon.Socket));
            await bad.SendAsync(Encoding.ASCII.GetBytes(
                $"POST /v1.44/containers/{id}/attach?stream=1&stdin=1&detachKeys=ctrl-1 HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
            var answer = Encoding.ASCII.GetString(await ReadToEndAsync(bad));
            Assert.StartsWith("HTTP/1.1 400 ", answer);
            Assert.EndsWith("{\"message\":\"Invalid detach keys (ctrl-1) provided\"}", answer);
        }
        _daemon.Docker("rm", "-f", id).Ok("rm -f");
    }

    [PrivilegedFact]
    public async Task A_304_is_a_bare_status_and_no_error_in_the_daemons_log()
    {
        var id = _daemon.Docker("run", "-d", "busybox", "sleep", "60").Ok("run -d").Output;
        using var client = Client();
        using var again = await client.PostAsync($"/v1.44/containers/{id}/start", null);
        Assert.Equal(304, (int)again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(id[..12], _daemon.Docker("start", id[..12]).Ok("start of a running container").Output);
        Assert.DoesNotContain("invalid for 304", _daemon.Output);
        _daemon.Docker("rm", "-f", id).Ok("rm -f");
    }

    private static async Task<string> ReadUntilAsync(Socket socket, string end)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            if (await socket.ReceiveAsync(one.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(5)) == 0) break;
            text.Append((char)one[0]);
        }
        return text.ToString();
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    private HttpClient Client() => _daemon.ApiClient();
}
