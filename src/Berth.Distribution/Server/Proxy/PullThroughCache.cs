using System.Collections.Concurrent;
using System.Net;
using Berth.Oci.Image;

namespace Berth.Distribution.Server.Proxy;

/// <summary>
/// Fills the local stores from the upstream registry on a miss, so the ordinary read path then serves the content.
/// Tags are re-resolved upstream on every pull (the cached copy is served when the upstream is down); digests are
/// immutable and fetched once. Everything fetched passes the same verification as a push (digest, manifest shape).
/// </summary>
public sealed class PullThroughCache(UpstreamClient upstream, ManifestStore manifests, BlobStore blobs, UploadStore uploads, RegistryOptions options)
{
    private static readonly string[] ManifestTypes = [MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList];
    private readonly ConcurrentDictionary<string, Lazy<Task>> _blobFetches = new(StringComparer.Ordinal);

    public async Task RefreshManifestAsync(string name, string reference, CancellationToken cancellationToken)
    {
        var byDigest = reference.Contains(':');
        if (byDigest && await manifests.ReadAsync(name, Grammar.RequireDigest(reference), cancellationToken) is not null) return;
        if (!byDigest && !Grammar.IsTag(reference)) return;
        HttpResponseMessage response;
        try
        {
            response = await upstream.SendAsync(HttpMethod.Get, name, $"manifests/{reference}", ManifestTypes, cancellationToken);
        }
        catch (RegistryException) when (!byDigest)
        {
            return; // upstream unreachable: the local tag, if any, answers
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound) return;
            if (!response.IsSuccessStatusCode) throw UpstreamFailed(response.StatusCode);
            var content = await ReadBoundedAsync(response.Content, options.MaxManifestBytes, cancellationToken);
            var contentType = response.Content.Headers.ContentType?.MediaType;
            await manifests.PutAsync(name, reference, contentType, content, [], requireReferences: false, cancellationToken);
        }
    }

    /// <summary>Makes the blob local; concurrent pulls of one missing blob share a single download.</summary>
    public async Task EnsureBlobAsync(string name, Digest digest, CancellationToken cancellationToken)
    {
        if (await blobs.StatAsync(name, digest, cancellationToken) is not null) return;
        var key = $"{name}@{digest}";
        var fetch = _blobFetches.GetOrAdd(key, _ => new Lazy<Task>(() => FetchBlobAsync(name, digest)));
        try
        {
            await fetch.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (fetch.Value.IsCompleted) _blobFetches.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, fetch));
        }
    }

    /// <summary>Runs without the client's cancellation: other clients may be waiting for the same blob.</summary>
    private async Task FetchBlobAsync(string name, Digest digest)
    {
        using var response = await upstream.SendAsync(HttpMethod.Get, name, $"blobs/{digest}", [], CancellationToken.None);
        if (response.StatusCode == HttpStatusCode.NotFound) return;
        if (!response.IsSuccessStatusCode) throw UpstreamFailed(response.StatusCode);
        var uuid = await uploads.StartAsync(name);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await uploads.FinishAsync(name, uuid, digest, new UploadChunk(body, null, response.Content.Headers.ContentLength));
        }
        catch
        {
            await uploads.DiscardAsync(name, uuid);
            throw;
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit) throw new RegistryException(ErrorCode.ManifestInvalid, "the upstream's manifest is too large");
        var bytes = await content.ReadAsByteArrayAsync(cancellationToken);
        return bytes.Length > limit ? throw new RegistryException(ErrorCode.ManifestInvalid, "the upstream's manifest is too large") : bytes;
    }

    private static RegistryException UpstreamFailed(HttpStatusCode status) =>
        new(new ErrorCode("UNAVAILABLE", 502, "the upstream registry failed"), $"the upstream answered {(int)status}");
}
