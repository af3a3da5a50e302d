using System.Net;
using System.Text;

namespace Berth.Distribution.Tests.Http;

public sealed class ManifestTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private HttpClient Client => _registry.Client;

    [Theory]
    [InlineData(Manifests.Oci)]
    [InlineData(Manifests.Docker)]
    public async Task PushedManifestComesBackByteForByteByTagAndDigest(string mediaType)
    {
        var (manifest, digest) = await _registry.PushImageAsync("app", "v1", mediaType: mediaType);
        Assert.Equal(TestRegistry.Sha256(manifest), digest);
        foreach (var reference in new[] { "v1", digest })
        {
            using var response = await Client.GetAsync($"/v2/app/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        }
    }

    [Fact]
    public async Task PutAnswersCreatedWithLocationAndDigest()
    {
        var config = "{}"u8.ToArray();
        var layer = "l"u8.ToArray();
        await _registry.PushBlobAsync("loc", config);
        await _registry.PushBlobAsync("loc", layer);
        var manifest = Manifests.Image(Manifests.Oci, config, layer);
        using var response = await _registry.PutManifestRawAsync("loc", "latest", manifest, Manifests.Oci);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/loc/manifests/{TestRegistry.Sha256(manifest)}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task HeadGivesDigestTypeAndLength()
    {
        var (manifest, digest) = await _registry.PushImageAsync("head", "t");
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/head/manifests/t"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(manifest.Length, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task ManifestNamingAMissingBlobIsManifestBlobUnknown()
    {
        var config = "{}"u8.ToArray();
        await _registry.PushBlobAsync("missing", config);
        var manifest = Manifests.Image(Manifests.Oci, config, "never pushed"u8.ToArray());
        using var response = await _registry.PutManifestRawAsync("missing", "v1", manifest, Manifests.Oci);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
        using var get = await Client.GetAsync("/v2/missing/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\": 1}")]
    [InlineData("{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"}")]
    [InlineData("{\"schemaVersion\": 2, \"config\": {\"mediaType\": \"x\", \"digest\": \"nope\", \"size\": 1}, \"layers\": []}")]
    [InlineData("{\"schemaVersion\": 2, \"config\": {\"mediaType\": \"x\", \"digest\": \"sha256:0000000000000000000000000000000000000000000000000000000000000000\", \"size\": \"big\"}, \"layers\": []}")]
    public async Task MalformedManifestsAreManifestInvalid(string body)
    {
        using var response = await _registry.PutManifestRawAsync("bad", "v1", Encoding.UTF8.GetBytes(body), Manifests.Oci);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ContentTypeThatContradictsMediaTypeIsManifestInvalid()
    {
        var config = "{}"u8.ToArray();
        var layer = "l"u8.ToArray();
        await _registry.PushBlobAsync("ct", config);
        await _registry.PushBlobAsync("ct", layer);
        using var response = await _registry.PutManifestRawAsync("ct", "v1", Manifests.Image(Manifests.Oci, config, layer), Manifests.Docker);
        Assert.Equal("MANIFEST_INVALID", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task PutByDigestThatDoesNotMatchIsDigestInvalid()
    {
        var config = "{}"u8.ToArray();
        var layer = "l"u8.ToArray();
        await _registry.PushBlobAsync("dg", config);
        await _registry.PushBlobAsync("dg", layer);
        var manifest = Manifests.Image(Manifests.Oci, config, layer);
        using var response = await _registry.PutManifestRawAsync("dg", TestRegistry.Sha256([1]), manifest, Manifests.Oci);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(response));
        var byDigest = await _registry.PutManifestAsync("dg", TestRegistry.Sha256(manifest), manifest, Manifests.Oci);
        Assert.Equal(TestRegistry.Sha256(manifest), byDigest);
    }

    [Fact]
    public async Task HugeManifestIs413AndNothingIsStored()
    {
        var huge = new byte[5 * 1024 * 1024];
        Array.Fill(huge, (byte)' ');
        using var response = await _registry.PutManifestRawAsync("huge", "v1", huge, Manifests.Oci);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var get = await Client.GetAsync("/v2/huge/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task IndexNeedsItsManifestsInTheRepository()
    {
        var (child, childDigest) = await _registry.PushImageAsync("multi", "amd64");
        var index = Manifests.Index(Manifests.OciIndex, (childDigest, child.Length));
        var digest = await _registry.PutManifestAsync("multi", "latest", index, Manifests.OciIndex);
        using var get = await Client.GetAsync("/v2/multi/manifests/latest");
        Assert.Equal(Manifests.OciIndex, get.Content.Headers.ContentType!.MediaType);
        Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());

        var dangling = Manifests.Index(Manifests.DockerList, (TestRegistry.Sha256([4, 2]), 2));
        using var bad = await _registry.PutManifestRawAsync("multi", "broken", dangling, Manifests.DockerList);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(bad));
    }

    [Fact]
    public async Task UnknownManifestIsManifestUnknownAndUnknownRepositoryIsNameUnknown()
    {
        await _registry.PushImageAsync("known", "v1");
        using var tag = await Client.GetAsync("/v2/known/manifests/v2");
        Assert.Equal(HttpStatusCode.NotFound, tag.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(tag));
        using var repo = await Client.GetAsync("/v2/unknown/manifests/v1");
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(repo));
    }

    [Fact]
    public async Task DeletingATagKeepsTheManifest()
    {
        var (_, digest) = await _registry.PushImageAsync("tags", "v1");
        using var delete = await Client.DeleteAsync("/v2/tags/manifests/v1");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using var byTag = await Client.GetAsync("/v2/tags/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
        using var byDigest = await Client.GetAsync($"/v2/tags/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
    }

    [Fact]
    public async Task DeletingByDigestRemovesTheManifestAndItsTags()
    {
        var (_, digest) = await _registry.PushImageAsync("del", "v1");
        using var delete = await Client.DeleteAsync($"/v2/del/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using var byDigest = await Client.GetAsync($"/v2/del/manifests/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, byDigest.StatusCode);
        using var tags = await Client.GetAsync("/v2/del/tags/list");
        Assert.Contains("\"tags\":[]", await tags.Content.ReadAsStringAsync());
        using var again = await Client.DeleteAsync($"/v2/del/manifests/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task ExtraTagsOnPutByDigestAreApplied()
    {
        var config = "{}"u8.ToArray();
        var layer = "l"u8.ToArray();
        await _registry.PushBlobAsync("multi-tag", config);
        await _registry.PushBlobAsync("multi-tag", layer);
        var manifest = Manifests.Image(Manifests.Oci, config, layer);
        await _registry.PutManifestAsync("multi-tag", $"{TestRegistry.Sha256(manifest)}?tag=a&tag=b", manifest, Manifests.Oci);
        using var tags = await Client.GetAsync("/v2/multi-tag/tags/list");
        Assert.Contains("\"tags\":[\"a\",\"b\"]", await tags.Content.ReadAsStringAsync());
    }
}
