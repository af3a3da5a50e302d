using Berth.Distribution.Server.Proxy;
using Microsoft.AspNetCore.Http;

namespace Berth.Distribution.Server.Http;

/// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: streamed GET (with a single <c>Range</c>), HEAD, DELETE.</summary>
public sealed class BlobHandlers(BlobStore blobs, PullThroughCache? proxy = null)
{
    private const int CopyBufferSize = 256 * 1024;

    public async Task GetAsync(RegistryRequest r)
    {
        var digest = Grammar.RequireDigest(r.Argument);
        if (proxy is not null) await proxy.EnsureBlobAsync(r.Name, digest, r.Aborted);
        var size = await blobs.StatAsync(r.Name, digest, r.Aborted) ?? throw new RegistryException(ErrorCode.BlobUnknown, digest.ToString());
        var range = ByteRange.Parse(r.Request.Headers.Range, size);
        var response = r.Response;
        response.ContentType = "application/octet-stream";
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.Headers.ETag = $"\"{digest}\"";
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "max-age=31536000";
        if (range is { } partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {partial.Start}-{partial.End}/{size}";
        }
        var offset = range?.Start ?? 0;
        var length = range?.Length ?? size;
        response.ContentLength = length;
        if (HttpMethods.IsHead(r.Request.Method)) return;
        await using var stream = await blobs.OpenAsync(r.Name, digest, offset, r.Aborted);
        await CopyAsync(stream, response, length, r.Aborted);
    }

    public async Task DeleteAsync(RegistryRequest r)
    {
        await blobs.UnlinkAsync(r.Name, Grammar.RequireDigest(r.Argument), r.Aborted);
        r.Response.StatusCode = StatusCodes.Status202Accepted;
        r.Response.ContentLength = 0;
    }

    /// <summary>
    /// Reads the blob straight into the response's pipe: asking for more than a pool block makes the pipe lend a
    /// buffer this size, so each read lands where the socket sends from and no byte is copied in between.
    /// </summary>
    private static async Task CopyAsync(Stream source, HttpResponse response, long length, CancellationToken cancellationToken)
    {
        await response.StartAsync(cancellationToken);
        var body = response.BodyWriter;
        while (length > 0)
        {
            var memory = body.GetMemory(CopyBufferSize);
            var read = await source.ReadAsync(memory[..(int)Math.Min(memory.Length, length)], cancellationToken);
            if (read == 0) throw new IOException("blob shorter than its recorded size");
            body.Advance(read);
            length -= read;
            var flushed = await body.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted) return; // the client went away
        }
    }
}
