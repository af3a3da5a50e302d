using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Distribution.Tests.Http;

public sealed class AuthTests : IAsyncLifetime
{
    private readonly string _htpasswd = Path.Combine(Path.GetTempPath(), "berth-htpasswd-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() =>
        // Cost 4 keeps the test fast; the format is the one htpasswd -B writes.
        File.WriteAllTextAsync(_htpasswd, $"alice:{BCrypt.Net.BCrypt.HashPassword("wonderland", 4)}\n");

    public Task DisposeAsync()
    {
        File.Delete(_htpasswd);
        return Task.CompletedTask;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, AuthenticationHeaderValue? auth, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = auth;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task BasicAuthChallengesThenAcceptsTheRightPassword()
    {
        await using var registry = await TestRegistry.StartAsync("--htpasswd", _htpasswd);
        using var anonymous = await registry.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("UNAUTHORIZED", await TestRegistry.ErrorCodeAsync(anonymous));
        Assert.StartsWith("Basic realm=", anonymous.Headers.WwwAuthenticate.ToString());

        using var wrong = await SendAsync(registry.Client, HttpMethod.Get, "/v2/", Basic("alice", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var right = await SendAsync(registry.Client, HttpMethod.Get, "/v2/", Basic("alice", "wonderland"));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);

        var digest = TestRegistry.Sha256([1, 2]);
        using var push = await SendAsync(registry.Client, HttpMethod.Post, $"/v2/private/blobs/uploads/?digest={digest}", Basic("alice", "wonderland"), new ByteArrayContent([1, 2]));
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        using var anonymousPull = await registry.Client.GetAsync($"/v2/private/blobs/{digest}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPull.StatusCode);
    }

    [Fact]
    public async Task TokenAuthChallengesIssuesScopedTokensAndEnforcesThem()
    {
        await using var registry = await TestRegistry.StartAsync("--htpasswd", _htpasswd,
            "--auth-token-realm", "http://127.0.0.1/token", "--auth-token-service", "test-registry");
        var client = registry.Client;

        using var challenge = await client.PostAsync("/v2/team/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var bearer = challenge.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", bearer.Scheme);
        Assert.Equal("realm=\"http://127.0.0.1/token\",service=\"test-registry\",scope=\"repository:team/app:push,pull\"", bearer.Parameter);

        using var mount = await client.PostAsync($"/v2/team/app/blobs/uploads/?mount={TestRegistry.Sha256([5])}&from=team/base", null);
        Assert.Equal("realm=\"http://127.0.0.1/token\",service=\"test-registry\",scope=\"repository:team/app:push,pull repository:team/base:pull\"",
            mount.Headers.WwwAuthenticate.Single().Parameter);

        using var badLogin = await SendAsync(client, HttpMethod.Get, "/token?service=test-registry&scope=repository:team/app:pull", Basic("alice", "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, badLogin.StatusCode);

        var pushToken = await TokenAsync(client, "repository:team/app:pull,push", Basic("alice", "wonderland"));
        var digest = TestRegistry.Sha256([5]);
        using var push = await SendAsync(client, HttpMethod.Post, $"/v2/team/app/blobs/uploads/?digest={digest}", new("Bearer", pushToken), new ByteArrayContent([5]));
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);

        var pullToken = await TokenAsync(client, "repository:team/app:pull", Basic("alice", "wonderland"));
        using var pull = await SendAsync(client, HttpMethod.Get, $"/v2/team/app/blobs/{digest}", new("Bearer", pullToken));
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        using var pushWithPullToken = await SendAsync(client, HttpMethod.Delete, $"/v2/team/app/blobs/{digest}", new("Bearer", pullToken));
        Assert.Equal(HttpStatusCode.Unauthorized, pushWithPullToken.StatusCode);
        Assert.Equal("DENIED", await TestRegistry.ErrorCodeAsync(pushWithPullToken));
        Assert.Contains("error=\"insufficient_scope\"", pushWithPullToken.Headers.WwwAuthenticate.ToString());
        using var otherRepository = await SendAsync(client, HttpMethod.Get, $"/v2/team/other/blobs/{digest}", new("Bearer", pullToken));
        Assert.Equal(HttpStatusCode.Unauthorized, otherRepository.StatusCode);

        var anonymousToken = await TokenAsync(client, "repository:team/app:pull", null);
        using var anonymous = await SendAsync(client, HttpMethod.Get, $"/v2/team/app/blobs/{digest}", new("Bearer", anonymousToken));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var tampered = pullToken[..^4] + (pullToken[^4] == 'A' ? "BBBB" : "AAAA");
        using var forged = await SendAsync(client, HttpMethod.Get, $"/v2/team/app/blobs/{digest}", new("Bearer", tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("error=\"invalid_token\"", forged.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AnonymousPullCanBeAllowedForTokens()
    {
        await using var registry = await TestRegistry.StartAsync("--htpasswd", _htpasswd,
            "--auth-token-realm", "http://127.0.0.1/token", "--auth-token-service", "svc", "--auth-token-anonymous-pull");
        var token = await TokenAsync(registry.Client, "repository:pub:pull,push", null);
        using var pull = await SendAsync(registry.Client, HttpMethod.Get, "/v2/pub/tags/list", new("Bearer", token));
        Assert.Equal(HttpStatusCode.NotFound, pull.StatusCode); // allowed through auth; the repository is empty
        using var push = await SendAsync(registry.Client, HttpMethod.Post, "/v2/pub/blobs/uploads/", new("Bearer", token));
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
    }

    private static async Task<string> TokenAsync(HttpClient client, string scope, AuthenticationHeaderValue? auth)
    {
        using var response = await SendAsync(client, HttpMethod.Get, $"/token?scope={Uri.EscapeDataString(scope)}", auth);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("expires_in").GetInt32() > 0);
        return json.RootElement.GetProperty("token").GetString()!;
    }
}
