using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Distribution.Client;
using Berth.Oci.Image;
using ClientException = Berth.Distribution.Client.RegistryException;

namespace Berth.Distribution.Tests.Client;

public sealed class RegistryClientTests
{
    [Fact]
    public void ChallengesParseQuotedAndBareParameters()
    {
        var parameters = AuthChallenge.ParseParameters("realm=\"https://auth.example/token\",service=\"reg \\\"x\\\"\", scope=repository:a/b:pull,push, error=\"insufficient_scope\"");
        Assert.Equal("https://auth.example/token", parameters["Realm"]);
        Assert.Equal("reg \"x\"", parameters["service"]);
        Assert.Equal("repository:a/b:pull", parameters["scope"]); // a bare value ends at the first comma
        Assert.Equal("insufficient_scope", parameters["error"]);
    }

    [Fact]
    public void EndpointsFollowDockersDefaults()
    {
        var options = new RegistryClientOptions
        {
            Mirrors = [new Uri("https://mirror.invalid")],
            InsecureRegistries = ["10.0.0.0/8", "registry.corp:5000"],
        };
        Assert.Equal(["https://mirror.invalid/", "https://registry-1.docker.io/"], options.Endpoints("docker.io", pull: true).Select(e => e.BaseUri.ToString()));
        Assert.Equal(["https://registry-1.docker.io/"], options.Endpoints("docker.io", pull: false).Select(e => e.BaseUri.ToString()));
        Assert.Equal("https://127.0.0.1:5000/", options.Endpoints("127.0.0.1:5000", true)[0].BaseUri.ToString());
        Assert.Equal("https://quay.io/", options.Endpoints("quay.io", true)[0].BaseUri.ToString());
        foreach (var insecure in (string[])["127.0.0.1:5000", "127.3.4.5", "localhost:5000", "10.1.2.3:5000", "registry.corp:5000"])
            Assert.True(options.IsInsecure(insecure), insecure);
        foreach (var secure in (string[])["quay.io", "11.0.0.1", "registry.corp"])
            Assert.False(options.IsInsecure(secure), secure);
    }

    [Fact]
    public async Task AnInsecureRegistryIsSpokenToOverTlsUncheckedOrElseOverPlainHttp()
    {
        await using var tls = await TestRegistry.StartTlsAsync();
        await using var plain = await TestRegistry.StartAsync();
        using var client = new RegistryClient(); // loopback is insecure by default, as in Docker
        foreach (var registry in new[] { tls, plain })
        {
            var (_, digest) = await registry.PushImageAsync("app", "1");
            var manifest = await client.Repository(ImageReference.Parse($"{registry.BaseAddress.Authority}/app")).ResolveAsync("1");
            Assert.Equal(digest, manifest.Digest.ToString());
        }
        Assert.Equal("https", tls.BaseAddress.Scheme);
        Assert.Equal("http", plain.BaseAddress.Scheme);
    }

    [Fact]
    public async Task ARegistryErrorBodyBecomesATypedExceptionWithDockersText()
    {
        using var client = new RegistryClient(handler: new Fake(_ => Json(HttpStatusCode.NotFound,
            """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}""")));
        var error = await Assert.ThrowsAsync<ClientException>(() => Repo(client).ResolveAsync("x"));
        Assert.Equal((404, "MANIFEST_UNKNOWN", "manifest unknown: manifest unknown", "{\"Tag\":\"x\"}"), (error.Status, error.Code, error.Message, error.Detail));

        using var bare = new RegistryClient(handler: new Fake(_ => new HttpResponseMessage(HttpStatusCode.BadGateway)));
        var plain = await Assert.ThrowsAsync<ClientException>(() => Repo(bare).ResolveAsync("x"));
        Assert.Equal((502, "UNKNOWN"), (plain.Status, plain.Code));
    }

    [Fact]
    public async Task BlobRedirectsAreFollowedWithoutTheAuthorizationHeaderOnAnotherHost()
    {
        var blob = Encoding.UTF8.GetBytes("blob bytes");
        var digest = Digest.Sha256(blob);
        var seen = new List<(Uri, string?)>();
        using var client = new RegistryClient(handler: new Fake(request =>
        {
            seen.Add((request.RequestUri!, request.Headers.Authorization?.Scheme));
            if (request.Headers.Authorization is null && request.RequestUri!.Host == "127.0.0.1")
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"r\""));
                return challenge;
            }
            if (request.RequestUri!.Host == "127.0.0.1")
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                redirect.Headers.Location = new Uri("http://127.0.0.2/storage/blob");
                return redirect;
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(blob) };
        }));

        await using var stream = await Repo(client, new RegistryCredentials("u", "p")).FetchBlobAsync(digest, blob.Length);
        var read = new MemoryStream();
        await stream.CopyToAsync(read);

        Assert.Equal(blob, read.ToArray());
        Assert.Equal(0, await stream.ReadAsync(new byte[16])); // the end, verified once, may be read again
        Assert.Equal("/v2/", seen[0].Item1.AbsolutePath); // loopback is insecure: first asked whether it speaks TLS
        Assert.Equal([("127.0.0.1", null), ("127.0.0.1", "Basic"), ("127.0.0.2", null)], seen.Skip(1).Select(s => (s.Item1.Host, s.Item2)));
    }

    [Fact]
    public async Task ABlobIsVerifiedWhileStreamingAndARangeResumesIt()
    {
        await using var registry = await TestRegistry.StartAsync();
        var blob = Encoding.UTF8.GetBytes("0123456789abcdef");
        var digest = Digest.Parse(await registry.PushBlobAsync("app", blob));
        using var client = new RegistryClient();
        var repository = client.Repository(ImageReference.Parse($"{registry.BaseAddress.Authority}/app"));

        await using (var tail = await repository.FetchBlobAsync(digest, blob.Length, offset: 10))
            Assert.Equal("abcdef", await new StreamReader(tail).ReadToEndAsync());

        var wrong = Digest.Sha256([1, 2, 3]);
        await using var mismatched = await repository.FetchBlobAsync(digest, blob.Length - 1);
        await Assert.ThrowsAsync<InvalidDataException>(() => mismatched.CopyToAsync(Stream.Null));
        Assert.True(await repository.BlobExistsAsync(digest));
        Assert.False(await repository.BlobExistsAsync(wrong));
    }

    private static RegistryRepository Repo(RegistryClient client, RegistryCredentials? credentials = null) =>
        client.Repository(ImageReference.Parse("127.0.0.1:1/app"), credentials);

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Answers every request in process: nothing leaves the test.</summary>
    private sealed class Fake(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
