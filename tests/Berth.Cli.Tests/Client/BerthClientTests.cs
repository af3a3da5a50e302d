using System.Net;
using System.Text;
using Berth.Api.Client;
using Berth.Api.Models.Exec;
using Berth.Api.Models.System;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Client;

public sealed class BerthClientTests
{
    [Fact]
    public async Task An_error_status_becomes_an_ApiException_with_the_daemons_message()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 404, "application/json", "{\"message\":\"No such container: x\"}"));
        using var client = daemon.Client();
        var e = await Assert.ThrowsAsync<ApiException>(() => client.ContainerStartAsync("x"));
        Assert.Equal((HttpStatusCode.NotFound, "No such container: x"), (e.StatusCode, e.Message));
        Assert.Equal("POST /v1.44/containers/x/start", $"{daemon.Requests[0].Method} {daemon.Requests[0].Target}");
    }

    [Fact]
    public async Task A_304_is_success_as_in_dockers_client()
    {
        await using var daemon = new FakeDaemon((_, s) => s.WriteAsync("HTTP/1.1 304 Not Modified\r\n\r\n"u8.ToArray()).AsTask());
        using var client = daemon.Client();
        await client.ContainerStartAsync("running");
        await client.ContainerStopAsync("running");
        Assert.Equal(2, daemon.Requests.Count);
    }

    [Fact]
    public async Task A_non_json_error_body_is_used_as_text()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 500, "text/plain", "boom\n"));
        using var client = daemon.Client();
        Assert.Equal("boom", (await Assert.ThrowsAsync<ApiException>(() => client.InfoAsync())).Message);
    }

    [Fact]
    public async Task List_sends_docker_style_filters_and_flags()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 200, "application/json", "[{\"Id\":\"abc\",\"Names\":[\"/x\"],\"Created\":5}]"));
        using var client = daemon.Client();
        var list = await client.ContainerListAsync(new ContainerListOptions { All = true, Filters = new Filters().Add("label", "a=b") });
        Assert.Equal("abc", list.Single().Id);
        Assert.Equal("/v1.44/containers/json?all=1&filters=%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%7D", daemon.Requests[0].Target);
    }

    [Fact]
    public async Task Wait_returns_once_headers_arrive_and_its_inner_task_waits_for_the_body()
    {
        var release = new TaskCompletionSource();
        await using var daemon = new FakeDaemon(async (_, s) =>
        {
            await s.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
            await release.Task;
            var body = "{\"StatusCode\":7}\n";
            await s.WriteAsync(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n{body}\r\n0\r\n\r\n"));
        });
        using var client = daemon.Client();
        var body = await client.ContainerWaitAsync("c", "next-exit").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(body.IsCompleted);
        release.SetResult();
        Assert.Equal(7, (await body.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);
        Assert.Equal("/v1.44/containers/c/wait?condition=next-exit", daemon.Requests[0].Target);
    }

    [Fact]
    public async Task Exec_start_hijacks_with_its_body_and_keeps_bytes_sent_with_the_101()
    {
        await using var daemon = new FakeDaemon(async (_, s) =>
        {
            var head = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            await s.WriteAsync(Encoding.ASCII.GetBytes(head + "early"));
            var buffer = new byte[100];
            var n = await s.ReadAsync(buffer);
            await s.WriteAsync(Encoding.ASCII.GetBytes("echo:" + Encoding.ASCII.GetString(buffer, 0, n)));
        });
        using var client = daemon.Client();
        await using var stream = await client.ExecAttachAsync("e1", new ExecStartRequest { Tty = true, ConsoleSize = [24, 80] });
        Assert.True(stream.IsTty);
        await stream.WriteAsync("ls"u8.ToArray());
        await stream.CloseWriteAsync();
        var output = new MemoryStream();
        await stream.CopyToAsync(output);
        Assert.Equal("earlyecho:ls", Encoding.ASCII.GetString(output.ToArray()));

        var request = daemon.Requests.Single();
        Assert.Equal(("POST", "/v1.44/exec/e1/start"), (request.Method, request.Target));
        Assert.Equal(("Upgrade", "tcp", "api.moby.localhost"), (request.Headers["Connection"], request.Headers["Upgrade"], request.Headers["Host"]));
        Assert.Equal("{\"Detach\":false,\"Tty\":true,\"ConsoleSize\":[24,80]}", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task A_refused_hijack_reports_the_daemons_error()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 409, "application/json", "{\"message\":\"container x is not running\"}"));
        using var client = daemon.Client();
        var e = await Assert.ThrowsAsync<ApiException>(() => client.ContainerAttachAsync("x", new AttachOptions { Stdin = true }));
        Assert.Equal((HttpStatusCode.Conflict, "container x is not running"), (e.StatusCode, e.Message));
        Assert.Equal("/v1.44/containers/x/attach?stream=1&stdin=1&stdout=1&stderr=1", daemon.Requests[0].Target);
    }

    [Fact]
    public async Task Pull_streams_json_messages_with_the_registry_auth_header()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 200, "application/json",
            "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}\r\n"));
        using var client = daemon.Client();
        var messages = new List<Berth.Api.Models.Streams.JsonMessage>();
        await foreach (var m in client.ImagePullAsync(new ImagePullOptions { FromImage = "busybox", Tag = "latest" }))
            messages.Add(m);
        Assert.Equal(("latest", "boom"), (messages[0].Id, messages[1].ErrorDetail!.Message));
        Assert.Equal("e30=", daemon.Requests[0].Headers["X-Registry-Auth"]);
        Assert.Equal("/v1.44/images/create?fromImage=busybox&tag=latest", daemon.Requests[0].Target);
    }

    [Fact]
    public async Task Push_posts_the_full_name_and_tag_with_the_registry_auth_header()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 200, "application/json",
            "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"abc\"}\r\n{\"aux\":{\"Tag\":\"v1\",\"Digest\":\"sha256:d\",\"Size\":527}}\r\n"));
        using var client = daemon.Client();
        var messages = new List<Berth.Api.Models.Streams.JsonMessage>();
        await foreach (var m in client.ImagePushAsync(new ImagePushOptions { Name = "localhost:5000/a/b", Tag = "v1", RegistryAuth = "eyJ1In0=" }))
            messages.Add(m);
        Assert.Equal(("abc", "v1"), (messages[0].Id, messages[1].Aux!.Value.GetProperty("Tag").GetString()));
        Assert.Equal(("POST", "/v1.44/images/localhost:5000/a/b/push?tag=v1"), (daemon.Requests[0].Method, daemon.Requests[0].Target));
        Assert.Equal("eyJ1In0=", daemon.Requests[0].Headers["X-Registry-Auth"]);

        await foreach (var _ in client.ImagePushAsync(new ImagePushOptions { Name = "docker.io/library/busybox" }))
        {
        }
        Assert.Equal(("/v1.44/images/docker.io/library/busybox/push", "e30="), (daemon.Requests[1].Target, daemon.Requests[1].Headers["X-Registry-Auth"]));
    }

    [Fact]
    public async Task Auth_posts_the_credentials_without_empty_fields_and_reads_the_token()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 200, "application/json", "{\"IdentityToken\":\"tok\",\"Status\":\"Login Succeeded\"}"));
        using var client = daemon.Client();
        var response = await client.SystemAuthAsync(new AuthConfig { Username = "me", Password = "p\"w", ServerAddress = "localhost:5000", Email = "" });
        Assert.Equal(("Login Succeeded", "tok"), (response.Status, response.IdentityToken));
        var request = daemon.Requests.Single();
        Assert.Equal(("POST", "/v1.44/auth", "application/json"), (request.Method, request.Target, request.Headers["Content-Type"]));
        Assert.Equal("{\"username\":\"me\",\"password\":\"p\\\"w\",\"serveraddress\":\"localhost:5000\"}", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task A_refused_login_is_a_401_ApiException_with_the_daemons_message()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 401, "application/json", "{\"message\":\"unauthorized: incorrect username or password\"}"));
        using var client = daemon.Client();
        var e = await Assert.ThrowsAsync<ApiException>(() => client.SystemAuthAsync(new AuthConfig { Username = "me", Password = "bad" }));
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized: incorrect username or password"), (e.StatusCode, e.Message));
    }

    [Fact]
    public void The_registry_auth_header_is_gos_base64url_with_padding()
    {
        Assert.Equal(RegistryAuth.Anonymous, RegistryAuth.Encode(new AuthConfig { Username = "", ServerAddress = null }));
        var header = RegistryAuth.Encode(new AuthConfig { Username = "u", Password = "??>", ServerAddress = "h" });
        Assert.Equal("eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6Ij8_PiIsInNlcnZlcmFkZHJlc3MiOiJoIn0=", header);
    }

    [Fact]
    public async Task Image_names_keep_slashes_colons_and_at_signs_in_the_path()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 200, "application/json", "{\"Id\":\"sha256:x\"}"));
        using var client = daemon.Client();
        await client.ImageInspectAsync("localhost:5000/a/b:t@sha256:abc");
        Assert.Equal("/v1.44/images/localhost:5000/a/b:t@sha256:abc/json", daemon.Requests[0].Target);
    }

    [Fact]
    public async Task No_daemon_is_reported_as_unreachable()
    {
        using var client = new BerthClient(DaemonEndpoint.Parse("unix:///nonexistent/berth.sock"));
        var e = await Assert.ThrowsAsync<DaemonUnreachableException>(() => client.PingAsync());
        Assert.Equal("Cannot connect to the Berth daemon at unix:///nonexistent/berth.sock. Is the berth daemon running?", e.Message);
        await Assert.ThrowsAsync<DaemonUnreachableException>(() => client.ContainerAttachAsync("x", new AttachOptions()));
    }

    [Theory]
    [InlineData("unix:///run/x.sock", "/run/x.sock", null, 0)]
    [InlineData("tcp://127.0.0.1:2376", null, "127.0.0.1", 2376)]
    [InlineData("tcp://localhost", null, "localhost", 2375)]
    [InlineData("tcp://[::1]:9", null, "::1", 9)]
    public void Hosts_parse(string host, string? socket, string? tcpHost, int port)
    {
        var endpoint = DaemonEndpoint.Parse(host);
        Assert.Equal((socket, tcpHost, port), (endpoint.SocketPath, endpoint.TcpHost, endpoint.TcpPort));
    }

    [Fact]
    public void Endpoints_parse_as_dockers_hosts()
    {
        Assert.Equal("/a.sock", DaemonEndpoint.Parse("unix:///a.sock").SocketPath);
        Assert.Equal(2375, DaemonEndpoint.Parse("tcp://127.0.0.1").TcpPort);
        var tls = DaemonEndpoint.Parse("tcp://127.0.0.1", new TlsSettings(null, null, null, Verify: true));
        Assert.Equal((2376, "127.0.0.1:2376"), (tls.TcpPort, tls.HostHeader));
        Assert.Null(DaemonEndpoint.Parse("unix:///a.sock", new TlsSettings(null, null, null, true)).Tls);
        var ssh = DaemonEndpoint.Parse("ssh://me@example.test:2222").Ssh!;
        Assert.Equal(["-o", "ConnectTimeout=30", "-T", "-l", "me", "-p", "2222", "--", "example.test", "berth", "system", "dial-stdio"], ssh.Arguments);
        Assert.Equal(["-o", "ConnectTimeout=30", "-T", "--", "host", "berth", "system", "dial-stdio"], DaemonEndpoint.Parse("ssh://host").Ssh!.Arguments);
        Assert.Throws<FormatException>(() => DaemonEndpoint.Parse("ssh://host/path"));
        Assert.Throws<FormatException>(() => DaemonEndpoint.Parse("ftp://host"));
    }
}
