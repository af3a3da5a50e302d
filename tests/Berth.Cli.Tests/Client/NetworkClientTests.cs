using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Networks;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Client;

/// <summary>The network calls on the wire, as Go's client sends them (paths, queries, bodies).</summary>
public sealed class NetworkClientTests
{
    private static string Line(FakeDaemon.Request r) => $"{r.Method} {r.Target}";

    [Fact]
    public async Task List_and_inspect_use_dockers_paths_and_queries()
    {
        await using var daemon = new FakeDaemon((r, s) => FakeDaemon.Respond(s, 200, "application/json",
            r.Target.StartsWith("/v1.44/networks?", StringComparison.Ordinal) || r.Target == "/v1.44/networks"
                ? """[{"Name":"bridge","Id":"abc","Driver":"bridge","Scope":"local","Labels":{"a":"1"}}]"""
                : """{"Name":"my net","Id":"abc","Containers":{"c1":{"Name":"web","IPv4Address":"10.213.0.2/24"}}}"""));
        using var client = daemon.Client();
        var list = await client.NetworkListAsync(new Filters().Add("driver", "bridge"));
        Assert.Equal(("bridge", "1"), (list.Single().Name, list.Single().Labels["a"]));
        var network = await client.NetworkInspectAsync("my net", verbose: true);
        Assert.Equal("10.213.0.2/24", network.Containers["c1"].IPv4Address);
        var raw = await client.NetworkInspectRawAsync("abc");
        Assert.Equal(JsonValueKind.Object, raw.ValueKind);
        Assert.Equal(
        [
            "GET /v1.44/networks?filters=%7B%22driver%22%3A%7B%22bridge%22%3Atrue%7D%7D",
            "GET /v1.44/networks/my%20net?verbose=true",
            "GET /v1.44/networks/abc",
        ], daemon.Requests.Select(Line));
    }

    [Fact]
    public async Task Create_posts_the_body_and_reads_the_id()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 201, "application/json", """{"Id":"0123","Warning":""}"""));
        using var client = daemon.Client();
        var created = await client.NetworkCreateAsync(new NetworkCreateRequest
        {
            Name = "n", Driver = "bridge", Scope = "",
            IPAM = new NetworkIpam { Config = [new IpamPool { Subnet = "10.213.0.0/24" }], Options = [] },
            Options = [], Labels = [],
        });
        Assert.Equal("0123", created.Id);
        var request = daemon.Requests.Single();
        Assert.Equal("POST /v1.44/networks/create", Line(request));
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal(
            """{"Name":"n","Driver":"bridge","Scope":"","IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"10.213.0.0/24"}]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":{},"Labels":{}}""",
            Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task Remove_connect_and_disconnect_send_dockers_requests()
    {
        await using var daemon = new FakeDaemon((_, s) => s.WriteAsync("HTTP/1.1 204 No Content\r\n\r\n"u8.ToArray()).AsTask());
        using var client = daemon.Client();
        await client.NetworkRemoveAsync("n1");
        await client.NetworkConnectAsync("n1", new NetworkConnectRequest
        {
            Container = "web",
            EndpointConfig = new EndpointSettings { Aliases = ["w"], IPAMConfig = new EndpointIPAMConfig { IPv4Address = "10.213.0.3" } },
        });
        await client.NetworkDisconnectAsync("n1", new NetworkDisconnectRequest { Container = "web", Force = true });
        Assert.Equal(["DELETE /v1.44/networks/n1", "POST /v1.44/networks/n1/connect", "POST /v1.44/networks/n1/disconnect"], daemon.Requests.Select(Line));
        using var connect = JsonDocument.Parse(daemon.Requests[1].Body);
        Assert.Equal("web", connect.RootElement.GetProperty("Container").GetString());
        Assert.Equal("10.213.0.3", connect.RootElement.GetProperty("EndpointConfig").GetProperty("IPAMConfig").GetProperty("IPv4Address").GetString());
        Assert.Equal("""{"Container":"web","Force":true}""", Encoding.UTF8.GetString(daemon.Requests[2].Body));
    }

    [Fact]
    public async Task A_missing_network_is_the_daemons_404()
    {
        await using var daemon = new FakeDaemon((_, s) => FakeDaemon.Respond(s, 404, "application/json", """{"message":"network nosuch not found"}"""));
        using var client = daemon.Client();
        var e = await Assert.ThrowsAsync<ApiException>(() => client.NetworkRemoveAsync("nosuch"));
        Assert.Equal((HttpStatusCode.NotFound, "network nosuch not found"), (e.StatusCode, e.Message));
    }
}
