using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Berth.Distribution.Tests.Http;

/// <summary>A registry in front of another that uses token auth (as Docker Hub does), both on 127.0.0.1.</summary>
public sealed class PullThroughTests : IAsyncLifetime
{
    private readonly string _htpasswd = Path.Combine(Path.GetTempPath(), "berth-htpasswd-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => File.WriteAllTextAsync(_htpasswd, $"mirror:{BCrypt.Net.BCrypt.HashPassword("pw", 4)}\n");

    public Task DisposeAsync()
    {
        File.Delete(_htpasswd);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PullsThroughCachesAndServesTheCacheWhenTheUpstreamIsGone()
    {
        // The token realm must name the upstream's own port, so the port is chosen before it starts.
        var port = FreePort();
        var upstream = await TestRegistry.StartAsync("--addr", $"127.0.0.1:{port}", "--htpasswd", _htpasswd,
            "--auth-token-realm", $"http://127.0.0.1:{port}/token", "--auth-token-service", "upstream");
        await using var proxy = await TestRegistry.StartAsync("--proxy-remote-url", $"http://127.0.0.1:{port}",
            "--proxy-username", "mirror", "--proxy-password", "pw");
        byte[] manifest;
        string digest;
        await using (upstream)
        {
            upstream.Client.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync(upstream.Client, "repository:library/app:pull,push"));
            (manifest, digest) = await upstream.PushImageAsync("library/app", "v1", layerText: "upstream layer");

            using var byTag = await proxy.Client.GetAsync("/v2/library/app/manifests/v1");
            Assert.Equal(HttpStatusCode.OK, byTag.StatusCode);
            Assert.Equal(manifest, await byTag.Content.ReadAsByteArrayAsync());
            Assert.Equal(digest, byTag.Headers.GetValues("Docker-Content-Digest").Single());
            var layer = TestRegistry.Sha256("upstream layer"u8.ToArray());
            Assert.Equal("upstream layer", await proxy.Client.GetStringAsync($"/v2/library/app/blobs/{layer}"));

            using var push = await proxy.Client.PostAsync("/v2/library/app/blobs/uploads/", null);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, push.StatusCode);
            Assert.Equal("UNSUPPORTED", await TestRegistry.ErrorCodeAsync(push));
        }

        // Upstream stopped: what was pulled is still served, by tag and by digest; the rest is unknown.
        Assert.Equal(manifest, await proxy.Client.GetByteArrayAsync("/v2/library/app/manifests/v1"));
        Assert.Equal(manifest, await proxy.Client.GetByteArrayAsync($"/v2/library/app/manifests/{digest}"));
        Assert.Equal("upstream layer", await proxy.Client.GetStringAsync($"/v2/library/app/blobs/{TestRegistry.Sha256("upstream layer"u8.ToArray())}"));
        using var missing = await proxy.Client.GetAsync("/v2/library/app/manifests/v2");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var missingBlob = await proxy.Client.GetAsync($"/v2/library/app/blobs/{TestRegistry.Sha256([1])}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, missingBlob.StatusCode);
    }

    private static async Task<string> TokenAsync(HttpClient client, string scope)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service=upstream&scope={Uri.EscapeDataString(scope)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("mirror:pw")));
        using var response = await client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
