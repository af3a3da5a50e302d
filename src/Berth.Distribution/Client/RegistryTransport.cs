using System.Collections.Concurrent;
using System.Net;

namespace Berth.Distribution.Client;

/// <summary>
/// The HTTP stack under every registry request, with Docker's rule for insecure registries: HTTPS first, their
/// certificate unchecked, and plain HTTP when they do not speak TLS. Which one a host speaks is probed once
/// (<c>GET https://host/v2/</c>) and remembered; a host that could not be reached at all is probed again next time.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly RegistryClientOptions _options;
    private readonly HttpClient _verified;
    private readonly HttpClient _unverified;
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _speaksTls = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="handler">The HTTP stack tests pass, used for both kinds of request; by default two pooled handlers.</param>
    public RegistryTransport(RegistryClientOptions options, HttpMessageHandler? handler)
    {
        _options = options;
        _verified = Client(handler ?? Handler(verifyCertificates: true), disposeHandler: true);
        _unverified = handler is null ? Client(Handler(verifyCertificates: false), disposeHandler: true) : Client(handler, disposeHandler: false);
    }

    /// <summary>Sends <paramref name="request"/> (its URI first routed by <see cref="RouteAsync"/>); the caller owns the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = await RouteAsync(request.RequestUri!, cancellationToken);
        var client = IsInsecureTls(request.RequestUri) ? _unverified : _verified;
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The URI a request for <paramref name="uri"/> goes to: <c>http://</c> for an insecure host that does not speak TLS.</summary>
    public async Task<Uri> RouteAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (uri.Scheme != Uri.UriSchemeHttps || !_options.IsInsecure(uri.Authority)) return uri;
        var probe = _speaksTls.GetOrAdd(uri.Authority, authority => new Lazy<Task<bool>>(() => SpeaksTlsAsync(authority)));
        if (await probe.Value.WaitAsync(cancellationToken)) return uri;
        return new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.IsDefaultPort ? -1 : uri.Port }.Uri;
    }

    private async Task<bool> SpeaksTlsAsync(string authority)
    {
        try
        {
            using var response = await _unverified.GetAsync($"https://{authority}/v2/", HttpCompletionOption.ResponseHeadersRead);
            return true;
        }
        catch (HttpRequestException e)
        {
            if (e.HttpRequestError != HttpRequestError.SecureConnectionError) _speaksTls.TryRemove(authority, out _); // not an answer: ask again later
            return false;
        }
    }

    private bool IsInsecureTls(Uri uri) => uri.Scheme == Uri.UriSchemeHttps && _options.IsInsecure(uri.Authority);

    private SocketsHttpHandler Handler(bool verifyCertificates)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // followed by hand: the Authorization header must not travel to another host
            AutomaticDecompression = DecompressionMethods.None, // blobs are verified byte for byte as sent
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!verifyCertificates) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return handler;
    }

    private HttpClient Client(HttpMessageHandler handler, bool disposeHandler)
    {
        var client = new HttpClient(handler, disposeHandler) { Timeout = Timeout.InfiniteTimeSpan }; // layers take as long as they take; callers cancel
        client.DefaultRequestHeaders.UserAgent.TryParseAdd(_options.UserAgent);
        return client;
    }

    public void Dispose()
    {
        _verified.Dispose();
        _unverified.Dispose();
    }
}
