using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Models;

namespace Berth.Api.Client;

/// <summary>
/// <see cref="IBerthClient"/> over HTTP/1.1 on a UNIX socket, TCP (plain or TLS) or ssh: every connection is made by
/// <see cref="DaemonEndpoint.ConnectAsync"/>, so the handler only ever speaks plain HTTP over it. Every path carries the
/// <c>/v1.44</c> prefix (Berth's daemon speaks it natively; no negotiation round trip).
/// </summary>
public sealed partial class BerthClient : IBerthClient, IDisposable
{
    public const string ApiVersion = "1.44";
    internal const string UserAgent = "Berth-Client/" + ApiVersion;

    private readonly HttpClient _http;

    public BerthClient(DaemonEndpoint endpoint)
    {
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // No idle limit: an idle limit starts a timer thread for the pool's cleaning in every CLI process, which is a
            // measurable part of a short command's start. A connection the daemon closed meanwhile is seen and dropped
            // when it is taken from the pool.
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        handler.ConnectCallback = async (_, ct) => (await endpoint.ConnectAsync(ct).ConfigureAwait(false)).Stream;
        _http = new HttpClient(handler) { BaseAddress = endpoint.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    public DaemonEndpoint Endpoint { get; }

    public void Dispose() => _http.Dispose();

    private static string Versioned(string path) => "/v" + ApiVersion + path;

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>Sends a request and throws the daemon's error for a non-success status; the caller disposes the response.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content,
        CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseHeadersRead,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, Versioned(pathAndQuery)) { Content = content };
        configure?.Invoke(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new DaemonUnreachableException(Endpoint, e);
        }
        // As Docker's client: below 400 is no error (a 304 is "already started/stopped", success with no body).
        if ((int)response.StatusCode < 400)
            return response;
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw new ApiException(response.StatusCode, Hijack.ErrorMessage(response.Content.Headers.ContentType?.MediaType, body));
        }
    }

    private async Task SendNoContentAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken, HttpContent? content = null)
    {
        using var response = await SendAsync(method, pathAndQuery, content, cancellationToken, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
    }

    private async Task<T> GetJsonAsync<T>(HttpMethod method, string pathAndQuery, JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken, HttpContent? content = null)
    {
        using var response = await SendAsync(method, pathAndQuery, content, cancellationToken, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"the daemon sent null for {typeInfo.Type.Name}");
    }

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A response body that owns its response: disposing the stream releases the connection.</summary>
    private static async Task<Stream> OwnedBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(body, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async IAsyncEnumerable<T> StreamJsonAsync<T>(HttpMethod method, string pathAndQuery, JsonTypeInfo<T> typeInfo,
        HttpContent? content, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendAsync(method, pathAndQuery, content, cancellationToken, configure: configure).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in JsonLines.ReadAsync(body, typeInfo, cancellationToken).ConfigureAwait(false))
            yield return item;
    }

    private static JsonTypeInfo<JsonElement> RawJson => ApiJsonContext.Default.JsonElement;
}
