using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>A manifest or index as a registry served it: its bytes exactly, their digest and the media type.</summary>
public sealed record RemoteManifest(string MediaType, Digest Digest, byte[] Bytes)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public Descriptor Descriptor => new() { MediaType = MediaType, Digest = Digest.ToString(), Size = Bytes.Length };
}

/// <summary>
/// One repository of one registry, for one call (its credentials, pull or push). Pulls try the endpoints in order (a
/// mirror that fails or lacks the manifest is skipped) and stay on the one that resolved the reference.
/// Not for concurrent <see cref="ResolveAsync"/> calls; the other operations may run concurrently.
/// </summary>
public sealed class RegistryRepository
{
    /// <summary>The registry spec asks registries to take manifests of at least 4 MiB; larger ones are refused.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    private const int MaxTagPages = 100;

    private static readonly string[] ManifestTypes =
        [MediaTypes.DockerManifest, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.OciIndex];

    private readonly RegistryClient _client;
    private readonly IReadOnlyList<RegistryEndpoint> _endpoints;
    private readonly RegistryCredentials? _credentials;
    private readonly string _scope;
    private int _current;

    internal RegistryRepository(RegistryClient client, ImageReference name, IReadOnlyList<RegistryEndpoint> endpoints, RegistryCredentials? credentials, bool push)
    {
        _client = client;
        Name = name;
        _endpoints = endpoints;
        _credentials = credentials;
        _scope = $"repository:{name.Path}:{(push ? "pull,push" : "pull")}";
    }

    /// <summary>The repository (domain and path, no tag).</summary>
    public ImageReference Name { get; }

    /// <summary>The endpoint in use: the first, or the one that resolved the last reference.</summary>
    public RegistryEndpoint Endpoint => _endpoints[_current];

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/manifests/&lt;tag|digest&gt;</c> accepting Docker v2 schema 2, manifest lists, OCI manifests
    /// and indexes. A digest reference must match the bytes; a tag's bytes must match the registry's
    /// <c>Docker-Content-Digest</c> when it sends one.
    /// </summary>
    /// <exception cref="RegistryException">the registry refused (MANIFEST_UNKNOWN, UNAUTHORIZED, …).</exception>
    /// <exception cref="InvalidDataException">the manifest is too large or does not match its digest.</exception>
    public async Task<RemoteManifest> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        for (var i = _current; ; i++)
        {
            try
            {
                var manifest = await GetManifestAsync(_endpoints[i], reference, cancellationToken);
                _current = i;
                return manifest;
            }
            catch (Exception e) when (_endpoints[i].Mirror && i + 1 < _endpoints.Count && e is HttpRequestException or RegistryException { Status: 404 or >= 500 })
            {
                // Docker too falls back from a mirror to the registry itself
            }
        }
    }

    /// <summary>A manifest by digest (an index's child), from the endpoint in use.</summary>
    public Task<RemoteManifest> GetManifestAsync(Digest digest, CancellationToken cancellationToken = default) =>
        GetManifestAsync(Endpoint, digest.ToString(), cancellationToken);

    /// <summary><c>HEAD</c> of a manifest: its descriptor from the headers, or null when the registry does not have it.</summary>
    public async Task<Descriptor?> HeadManifestAsync(string reference, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, $"manifests/{reference}", AcceptManifests, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, cancellationToken);
        return new Descriptor
        {
            MediaType = response.Content.Headers.ContentType?.MediaType ?? "",
            Digest = response.Headers.TryGetValues("Docker-Content-Digest", out var digests) ? digests.First() : "",
            Size = response.Content.Headers.ContentLength ?? 0,
        };
    }

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> (redirects followed) from <paramref name="offset"/> on (a Range
    /// request, to resume an ingest). The stream checks the size as it is read, and the digest when it starts at zero
    /// (or the registry ignored the Range); reading past the end of a bad blob throws <see cref="InvalidDataException"/>.
    /// </summary>
    public async Task<Stream> FetchBlobAsync(Digest digest, long size, long offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= size) return new VerifyingStream(Stream.Null, null, digest, 0, null);
        var response = await SendAsync(HttpMethod.Get, $"blobs/{digest}",
            r => { if (offset > 0) r.Headers.Range = new RangeHeaderValue(offset, null); }, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                if (response.Content.Headers.ContentRange?.From != offset)
                    throw new InvalidDataException($"blob {digest}: the registry answered a range other than the one asked ({response.Content.Headers.ContentRange})");
                return new VerifyingStream(body, response, digest, size - offset, hash: null);
            }
            var whole = new VerifyingStream(body, response, digest, size, hash: System.Security.Cryptography.HashAlgorithmName.SHA256);
            await whole.SkipAsync(offset, cancellationToken); // no Range support: read the start again, verify the whole
            return whole;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary><c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: whether the repository has the blob.</summary>
    public async Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, $"blobs/{digest}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>
    /// Cross-repository mount, <c>POST /v2/&lt;name&gt;/blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repository path&gt;</c>:
    /// true when the registry linked the blob (201); false when it could not (it then opened an upload, which is cancelled).
    /// </summary>
    public async Task<bool> MountBlobAsync(Digest digest, string fromRepository, CancellationToken cancellationToken = default)
    {
        var path = $"blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}";
        using var response = await SendAsync(HttpMethod.Post, path, null, cancellationToken, extraScope: $"repository:{fromRepository}:pull");
        if (response.StatusCode == HttpStatusCode.Created) return true;
        await EnsureSuccessAsync(response, cancellationToken);
        if (response.Headers.Location is { } location)
        {
            try
            {
                using var cancel = await SendAsync(HttpMethod.Delete, Absolute(location), null, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // the session expires on the registry anyway
            }
        }
        return false;
    }

    /// <summary>
    /// Uploads a blob monolithically: <c>POST /v2/&lt;name&gt;/blobs/uploads/</c>, then <c>PUT &lt;location&gt;?digest=</c>
    /// with the whole body. <paramref name="content"/> is read from its current position; it is sent again from the
    /// start if the registry asks for credentials mid-way, so it must then be seekable. It is not disposed.
    /// </summary>
    public async Task UploadBlobAsync(Digest digest, long size, Stream content, Action<long>? onProgress = null, CancellationToken cancellationToken = default)
    {
        Uri location;
        using (var start = await SendAsync(HttpMethod.Post, "blobs/uploads/", null, cancellationToken))
        {
            await EnsureSuccessAsync(start, cancellationToken);
            location = start.Headers.Location ?? throw new RegistryException((int)start.StatusCode, "UNKNOWN", "the registry opened an upload without a Location");
        }
        var target = Absolute(location);
        var query = (string.IsNullOrEmpty(target.Query) ? "?" : target.Query + "&") + "digest=" + Uri.EscapeDataString(digest.ToString());
        target = new UriBuilder(target) { Query = query[1..] }.Uri;
        var startPosition = content.CanSeek ? content.Position : 0;
        var attempt = 0;
        using var response = await SendAsync(() =>
        {
            if (attempt++ > 0)
            {
                if (!content.CanSeek) throw new RegistryException(401, "UNAUTHORIZED", "authentication required", "the registry asked for credentials in the middle of an upload");
                content.Position = startPosition;
            }
            var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = new StreamContent(new ProgressStream(content, onProgress)) };
            request.Content.Headers.ContentLength = size;
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary><c>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> with these exact bytes; returns the digest the registry gave.</summary>
    public async Task<Digest> PutManifestAsync(string reference, string mediaType, byte[] manifest, CancellationToken cancellationToken = default)
    {
        var uri = UrlOf(Endpoint, $"manifests/{reference}");
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new ByteArrayContent(manifest) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return request;
        }, null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.First(), out var digest)
            ? digest
            : Digest.Sha256(manifest);
    }

    /// <summary><c>GET /v2/&lt;name&gt;/tags/list</c>, following <c>Link: &lt;…&gt;; rel="next"</c> pages.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken = default)
    {
        var tags = new List<string>();
        var next = UrlOf(Endpoint, "tags/list");
        for (var page = 0; page < MaxTagPages && next is not null; page++)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            if (json.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                tags.AddRange(list.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
            next = NextPage(response);
        }
        return tags;
    }

    private async Task<RemoteManifest> GetManifestAsync(RegistryEndpoint endpoint, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, UrlOf(endpoint, $"manifests/{reference}"), AcceptManifests, cancellationToken, endpoint);
        await EnsureSuccessAsync(response, cancellationToken);
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
            throw new InvalidDataException($"manifest {Name.Path}:{reference} is larger than {MaxManifestBytes} bytes");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        await CopyAtMostAsync(body, buffer, MaxManifestBytes, cancellationToken);
        var bytes = buffer.ToArray();
        var digest = Digest.Sha256(bytes);
        if (Digest.TryParse(reference, out var asked) && asked != digest)
            throw new InvalidDataException($"manifest verification failed for digest {asked}: the registry sent {digest}");
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var said) && Digest.TryParse(said.First(), out var claimed)
            && claimed.Algorithm == "sha256" && claimed != digest)
            throw new InvalidDataException($"manifest {Name.Path}:{reference}: the registry says {claimed}, the bytes are {digest}");
        return new RemoteManifest(MediaTypeOf(response.Content.Headers.ContentType?.MediaType, bytes), digest, bytes);
    }

    /// <summary>The Content-Type, unless it is generic: then the document's own <c>mediaType</c>, else its shape.</summary>
    private static string MediaTypeOf(string? contentType, byte[] bytes)
    {
        if (contentType is not (null or "" or "application/json" or "text/plain" or "application/octet-stream")) return contentType;
        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.TryGetProperty("mediaType", out var type) && type.GetString() is { Length: > 0 } declared) return declared;
            return json.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the manifest is not JSON: {e.Message}", e);
        }
    }

    private static async Task CopyAtMostAsync(Stream source, Stream destination, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (destination.Length + read > limit) throw new InvalidDataException($"the manifest is larger than {limit} bytes");
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static void AcceptManifests(HttpRequestMessage request)
    {
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
    }

    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string suffix, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken, string? extraScope = null) =>
        SendAsync(method, UrlOf(Endpoint, suffix), configure, cancellationToken, Endpoint, extraScope);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, Action<HttpRequestMessage>? configure,
        CancellationToken cancellationToken, RegistryEndpoint? endpoint = null, string? extraScope = null) =>
        SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, uri);
            configure?.Invoke(request);
            return request;
        }, extraScope, cancellationToken, endpoint);

    private Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> build, string? extraScope, CancellationToken cancellationToken, RegistryEndpoint? endpoint = null)
    {
        var target = new AuthTarget((endpoint ?? Endpoint).BaseUri.Authority, extraScope is null ? [_scope] : [_scope, extraScope], _credentials);
        return _client.SendAsync(build, target, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode) throw await RegistryClient.ErrorAsync(response, cancellationToken);
    }

    private Uri UrlOf(RegistryEndpoint endpoint, string suffix) => new(endpoint.BaseUri, $"/v2/{Name.Path}/{suffix}");

    /// <summary>A Location or Link target: relative ones are relative to the endpoint.</summary>
    private Uri Absolute(Uri location) => location.IsAbsoluteUri ? location : new Uri(Endpoint.BaseUri, location);

    private Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var open = link.IndexOf('<');
            var close = link.IndexOf('>');
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
                return Absolute(new Uri(link[(open + 1)..close], UriKind.RelativeOrAbsolute));
        }
        return null;
    }
}
