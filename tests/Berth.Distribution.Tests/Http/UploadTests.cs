using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Distribution.Tests.Http;

public sealed class UploadTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private HttpClient Client => _registry.Client;

    private async Task<string> StartAsync(string name)
    {
        using var response = await Client.PostAsync($"/v2/{name}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("0-0", response.Headers.GetValues("Range").Single());
        Assert.NotEmpty(response.Headers.GetValues("Docker-Upload-UUID").Single());
        return response.Headers.Location!.OriginalString;
    }

    private Task<HttpResponseMessage> PatchAsync(string location, string chunk, string? range, bool chunked = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(chunk)) };
        if (range is not null) request.Content.Headers.TryAddWithoutValidation("Content-Range", range);
        request.Headers.TransferEncodingChunked = chunked; // no Content-Length: the server learns the size only by reading
        return Client.SendAsync(request);
    }

    [Fact]
    public async Task ChunkedUploadInOrderThenPutPublishesTheBlob()
    {
        var location = await StartAsync("chunked");
        using (var first = await PatchAsync(location, "hello ", "0-5"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal("0-5", first.Headers.GetValues("Range").Single());
        }
        using (var second = await PatchAsync(location, "world", "6-10"))
            Assert.Equal("0-10", second.Headers.GetValues("Range").Single());
        using (var status = await Client.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-10", status.Headers.GetValues("Range").Single());
        }
        var digest = TestRegistry.Sha256(Encoding.UTF8.GetBytes("hello world!"));
        using var put = await Client.PutAsync($"{location}?digest={digest}", new ByteArrayContent("!"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());
        using var get = await Client.GetAsync($"/v2/chunked/blobs/{digest}");
        Assert.Equal("hello world!", await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StreamedPatchWithoutContentRangeAppends()
    {
        var location = await StartAsync("streamed");
        using (await PatchAsync(location, "abc", null)) { }
        using (await PatchAsync(location, "def", null)) { }
        var digest = TestRegistry.Sha256("abcdef"u8.ToArray());
        using var put = await Client.PutAsync($"{location}?digest={digest}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task OutOfOrderChunkIs416WithTheCurrentRange()
    {
        var location = await StartAsync("ooo");
        using (await PatchAsync(location, "12345", "0-4")) { }
        using var response = await PatchAsync(location, "xyz", "10-12");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("0-4", response.Headers.GetValues("Range").Single());
        using var status = await Client.GetAsync(location);
        Assert.Equal("0-4", status.Headers.GetValues("Range").Single());
    }

    [Fact]
    public async Task ContentRangeThatDisagreesWithTheBodyIsRejectedAndRolledBack()
    {
        var location = await StartAsync("mismatch");
        using (await PatchAsync(location, "12", "0-1")) { }
        using var response = await PatchAsync(location, "abc", "2-11", chunked: true);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("SIZE_INVALID", await TestRegistry.ErrorCodeAsync(response));
        using var status = await Client.GetAsync(location);
        Assert.Equal("0-1", status.Headers.GetValues("Range").Single());
    }

    [Fact]
    public async Task WrongDigestIsDigestInvalidAndStoresNothing()
    {
        var location = await StartAsync("wrong");
        using (await PatchAsync(location, "actual content", null)) { }
        var claimed = TestRegistry.Sha256("other content"u8.ToArray());
        using var put = await Client.PutAsync($"{location}?digest={claimed}", null);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(put));
        using var get = await Client.GetAsync($"/v2/wrong/blobs/{claimed}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var status = await Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Empty(BlobFiles());
    }

    [Fact]
    public async Task MonolithicPostWithWrongDigestStoresNothing()
    {
        var claimed = TestRegistry.Sha256("expected"u8.ToArray());
        using var response = await Client.PostAsync($"/v2/mono/blobs/uploads/?digest={claimed}", new ByteArrayContent("different"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(response));
        Assert.Empty(BlobFiles());
        Assert.Empty(UploadDirectories());
    }

    [Fact]
    public async Task CancelledUploadIsGone()
    {
        var location = await StartAsync("cancel");
        using (await PatchAsync(location, "partial", null)) { }
        using var delete = await Client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var status = await Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(status));
        Assert.Empty(UploadDirectories());
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task UnknownUploadIsBlobUploadUnknown(string uuid)
    {
        using var response = await PatchAsync($"/v2/x/blobs/uploads/{uuid}", "data", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task EmptyBlobCanBePushed()
    {
        var digest = await _registry.PushBlobAsync("empty", []);
        using var get = await Client.GetAsync($"/v2/empty/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(0, get.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task TruncatedBodyLeavesNothingVisible()
    {
        var location = await StartAsync("truncated");
        using (await PatchAsync(location, "good start", null)) { }

        // Promise 1 MB, send 600 kB (more than the server's copy buffer, so some of it gets written), wait until the
        // upload shows those bytes (the chunk's handler now holds the upload), then hang up: the chunk must be rolled back.
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(IPAddress.Loopback, _registry.BaseAddress.Port);
            var stream = socket.GetStream();
            var head = $"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\nContent-Type: application/octet-stream\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[600_000]);
            await stream.FlushAsync();
            var size = 10L;
            for (var attempt = 0; attempt < 400 && size <= 10; attempt++)
            {
                using var status = await Client.GetAsync(location);
                size = long.Parse(status.Headers.GetValues("Range").Single().Split('-')[1]) + 1;
                if (size <= 10) await Task.Delay(25);
            }
            Assert.True(size > 10, "the broken chunk never started to be written");
        }

        // Finishing waits for the upload's lock, so it runs after the broken chunk was rolled back.
        var expected = "good start, good end"u8.ToArray();
        var digest = TestRegistry.Sha256(expected);
        using var put = await Client.PutAsync($"{location}?digest={digest}", new ByteArrayContent(", good end"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var get = await Client.GetAsync($"/v2/truncated/blobs/{digest}");
        Assert.Equal(expected, await get.Content.ReadAsByteArrayAsync());
        Assert.Single(BlobFiles());
    }

    private IEnumerable<string> BlobFiles()
    {
        var blobs = Path.Combine(_registry.Root, "docker", "registry", "v2", "blobs");
        return Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories) : [];
    }

    private IEnumerable<string> UploadDirectories()
    {
        var repositories = Path.Combine(_registry.Root, "docker", "registry", "v2", "repositories");
        if (!Directory.Exists(repositories)) return [];
        return Directory.EnumerateDirectories(repositories, "_uploads", SearchOption.AllDirectories)
            .SelectMany(d => Directory.EnumerateFileSystemEntries(d));
    }
}
