using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Berth.Distribution.Tests.Http;

public sealed class BlobTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private HttpClient Client => _registry.Client;

    [Fact]
    public async Task BaseEndpointAnswersWithTheApiVersionHeader()
    {
        using var response = await Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task MonolithicPushThenGetReturnsTheBytesAndDigest()
    {
        var content = Encoding.UTF8.GetBytes("hello registry");
        var digest = await _registry.PushBlobAsync("library/hello", content);

        using var response = await Client.GetAsync($"/v2/library/hello/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task HeadGivesSizeAndDigestWithoutABody()
    {
        var digest = await _registry.PushBlobAsync("a", new byte[1234]);
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/a/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1234, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=2-5", "2345", "bytes 2-5/10")]
    [InlineData("bytes=7-", "789", "bytes 7-9/10")]
    [InlineData("bytes=-3", "789", "bytes 7-9/10")]
    [InlineData("bytes=8-100", "89", "bytes 8-9/10")]
    public async Task RangeRequestsGetPartialContent(string range, string body, string contentRange)
    {
        var digest = await _registry.PushBlobAsync("r", Encoding.UTF8.GetBytes("0123456789"));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/r/blobs/{digest}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(contentRange, response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task RangeBeyondTheBlobIs416()
    {
        var digest = await _registry.PushBlobAsync("r", Encoding.UTF8.GetBytes("0123456789"));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/r/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(10, 20);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task UnknownBlobIsBlobUnknown()
    {
        using var response = await Client.GetAsync($"/v2/a/blobs/{TestRegistry.Sha256([1, 2, 3])}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task BlobOfAnotherRepositoryIsNotVisible()
    {
        var digest = await _registry.PushBlobAsync("one", [1, 2, 3]);
        using var response = await Client.GetAsync($"/v2/two/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task MalformedDigestIsDigestInvalid()
    {
        using var response = await Client.GetAsync("/v2/a/blobs/sha256:nothex");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("a..b")]
    [InlineData("-a")]
    [InlineData("a/")]
    [InlineData("a__-b")]
    public async Task NamesOutsideTheGrammarAreNameInvalid(string name)
    {
        using var response = await Client.GetAsync($"/v2/{name}/tags/list");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("NAME_INVALID", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task DeletedBlobIsGoneFromTheRepository()
    {
        var digest = await _registry.PushBlobAsync("d", [9, 9]);
        using var delete = await Client.DeleteAsync($"/v2/d/blobs/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using var get = await Client.GetAsync($"/v2/d/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var again = await Client.DeleteAsync($"/v2/d/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task MountFromARepositoryThatHasTheBlobIsCreated()
    {
        var digest = await _registry.PushBlobAsync("source/repo", Encoding.UTF8.GetBytes("shared layer"));
        using var response = await Client.PostAsync($"/v2/target/repo/blobs/uploads/?mount={digest}&from=source/repo", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/target/repo/blobs/{digest}", response.Headers.Location!.OriginalString);
        using var get = await Client.GetAsync($"/v2/target/repo/blobs/{digest}");
        Assert.Equal("shared layer", await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MountOfAnUnknownBlobFallsBackToAnUploadSession()
    {
        using var response = await Client.PostAsync($"/v2/target/blobs/uploads/?mount={TestRegistry.Sha256([7])}&from=elsewhere", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith("/v2/target/blobs/uploads/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UnknownEndpointMethodIsUnsupported()
    {
        using var response = await Client.PostAsync($"/v2/a/tags/list", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("UNSUPPORTED", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task LargeBlobStreamsThroughIntact()
    {
        var content = new byte[8 * 1024 * 1024 + 123];
        new Random(42).NextBytes(content);
        var digest = await _registry.PushBlobAsync("big", content);
        using var response = await Client.GetAsync($"/v2/big/blobs/{digest}");
        Assert.Equal(TestRegistry.Sha256(await response.Content.ReadAsByteArrayAsync()), digest);
    }
}
