using Berth.Distribution.Server.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Server.Http;

/// <summary><c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: parse, one store call, write the result.</summary>
public sealed class ManifestHandlers(ManifestStore manifests, RegistryOptions options, ILogger<ManifestHandlers> logger, PullThroughCache? proxy = null)
{
    public async Task GetAsync(RegistryRequest r)
    {
        if (proxy is not null) await proxy.RefreshManifestAsync(r.Name, r.Argument, r.Aborted);
        var manifest = await manifests.GetAsync(r.Name, r.Argument, r.Aborted);
        r.Response.ContentType = manifest.MediaType;
        r.Response.ContentLength = manifest.Content.Length;
        r.Response.Headers["Docker-Content-Digest"] = manifest.Digest.ToString();
        r.Response.Headers.ETag = $"\"{manifest.Digest}\"";
        if (!HttpMethods.IsHead(r.Request.Method)) await r.Response.Body.WriteAsync(manifest.Content, r.Aborted);
    }

    public async Task PutAsync(RegistryRequest r)
    {
        var content = await ReadBoundedAsync(r, options.MaxManifestBytes);
        var extraTags = r.Request.Query["tag"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        var pushed = await manifests.PutAsync(r.Name, r.Argument, r.Request.ContentType, content, extraTags, cancellationToken: r.Aborted);
        Log.ManifestPushed(logger, r.Name, r.Argument, pushed.Digest.ToString());
        r.Response.StatusCode = StatusCodes.Status201Created;
        r.Response.Headers.Location = r.RepositoryPath($"manifests/{pushed.Digest}");
        r.Response.Headers["Docker-Content-Digest"] = pushed.Digest.ToString();
        if (pushed.Subject is { } subject) r.Response.Headers["OCI-Subject"] = subject.ToString();
        r.Response.ContentLength = 0;
    }

    public async Task DeleteAsync(RegistryRequest r)
    {
        await manifests.DeleteAsync(r.Name, r.Argument, r.Aborted);
        r.Response.StatusCode = StatusCodes.Status202Accepted;
        r.Response.ContentLength = 0;
    }

    /// <summary>Reads the whole body, refusing (413) anything above <paramref name="limit"/> without reading it all.</summary>
    private static async Task<byte[]> ReadBoundedAsync(RegistryRequest r, int limit)
    {
        if (r.ContentLength > limit) throw TooBig(limit);
        using var buffer = new MemoryStream(capacity: (int)Math.Min(r.ContentLength ?? 16 * 1024, limit));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await r.Request.Body.ReadAsync(chunk, r.Aborted)) > 0)
        {
            if (buffer.Length + read > limit) throw TooBig(limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static RegistryException TooBig(int limit) =>
        new(ErrorCode.SizeInvalid.WithStatus(StatusCodes.Status413PayloadTooLarge), $"manifests are limited to {limit} bytes");
}
