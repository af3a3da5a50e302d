using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>
/// The client half of the distribution protocol, shared by every pull and push of the daemon: one connection pool
/// and one token cache. <see cref="Repository"/> gives the operations on one repository with one call's credentials.
/// <para>
/// Every request goes through <see cref="SendAsync"/>: the known scheme's Authorization is sent up front; a 401 is
/// answered once (Basic, or a Bearer token for the request's scopes) and the request retried; redirects of GET and
/// HEAD are followed (at most <see cref="MaxRedirects"/>), without the Authorization header when the host changes.
/// </para>
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private const int MaxRedirects = 5;
    private const int MaxErrorBody = 64 * 1024;

    private readonly RegistryTransport _transport;
    private readonly Authenticator _auth;

    /// <param name="handler">The HTTP stack (tests pass one); by default pooled <see cref="SocketsHttpHandler"/>s.</param>
    public RegistryClient(RegistryClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        Options = options ?? new RegistryClientOptions();
        _transport = new RegistryTransport(Options, handler);
        _auth = new Authenticator(_transport.SendAsync, Options.Time);
    }

    public RegistryClientOptions Options { get; }

    /// <summary>
    /// The operations on the repository <paramref name="name"/> names (its domain and path; tag and digest ignored),
    /// authenticated with <paramref name="credentials"/>. <paramref name="push"/> asks tokens for pull and push, and
    /// leaves mirrors out.
    /// </summary>
    public RegistryRepository Repository(ImageReference name, RegistryCredentials? credentials = null, bool push = false) =>
        new(this, name.NameOnly(), Options.Endpoints(name.Domain, pull: !push), credentials, push);

    /// <summary>
    /// Docker's login check: <c>GET /v2/</c> on the registry <paramref name="serverAddress"/> names (see
    /// <see cref="LoginDomain"/>; never a mirror) with
    /// <paramref name="credentials"/>, answering a Basic or Bearer challenge (a token with no scope). A registry that
    /// asks for nothing accepts any login, as with Docker.
    /// </summary>
    /// <exception cref="RegistryException">401 when the registry or its token endpoint refused the credentials, with
    /// Docker's text in <see cref="RegistryException.RegistryMessage"/>; else the registry's error.</exception>
    public async Task LoginAsync(string? serverAddress, RegistryCredentials credentials, CancellationToken cancellationToken = default)
    {
        var endpoint = Options.Endpoints(LoginDomain(serverAddress), pull: false)[0];
        var url = await _transport.RouteAsync(new Uri(endpoint.BaseUri, "/v2/"), cancellationToken); // as sent: Docker's messages name it
        var target = new AuthTarget(endpoint.BaseUri.Authority, [], credentials);
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), target, cancellationToken);
        }
        catch (RegistryException e) when (e.IsUnauthorized)
        {
            throw new RegistryException(401, "UNAUTHORIZED", $"Get \"{url}\": {e.Message}", e.Detail, e); // the token endpoint refused
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"Get \"{url}\": {e.Message}", e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return;
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new RegistryException(401, "UNAUTHORIZED", $"login attempt to {url} failed with status: 401 Unauthorized");
            throw await ErrorAsync(response, cancellationToken);
        }
    }

    /// <summary>
    /// The registry domain a login's server address names, as Docker's <c>ConvertToHostname</c> reads it (scheme and
    /// path dropped): empty, <c>https://index.docker.io/v1/</c> and Docker Hub's other host names are <c>docker.io</c>.
    /// </summary>
    public static string LoginDomain(string? serverAddress)
    {
        var host = serverAddress ?? "";
        foreach (var scheme in (string[])["http://", "https://"])
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) host = host[scheme.Length..];
        if (host.IndexOf('/') is var slash and >= 0) host = host[..slash];
        return host.ToLowerInvariant() is "" or "docker.io" or "index.docker.io" or RegistryClientOptions.DockerHubHost ? ImageReference.DefaultDomain : host;
    }

    /// <summary>Sends the request <paramref name="build"/> makes (again for the retry); the caller owns the response.</summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, AuthTarget target, CancellationToken cancellationToken)
    {
        var authorization = await _auth.PreemptAsync(target, cancellationToken);
        var response = await SendFollowingAsync(build, authorization, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenges = AuthChallenge.Parse(response.Headers.WwwAuthenticate);
        if (challenges.Count == 0) return response;
        response.Dispose();
        authorization = await _auth.AnswerAsync(target, challenges, cancellationToken);
        return await SendFollowingAsync(build, authorization, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendFollowingAsync(
        Func<HttpRequestMessage> build, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var request = build();
        request.Headers.Authorization = authorization;
        var origin = request.RequestUri!;
        for (var redirects = 0; ; redirects++)
        {
            HttpResponseMessage response;
            try
            {
                response = await _transport.SendAsync(request, cancellationToken);
            }
            finally
            {
                request.Dispose();
            }
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location
                || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
                return response;
            response.Dispose();
            if (redirects == MaxRedirects)
                throw new RegistryException((int)response.StatusCode, "UNKNOWN", $"stopped after {MaxRedirects} redirects", origin.ToString());
            var next = new HttpRequestMessage(request.Method, location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location));
            foreach (var header in request.Headers.Where(h => h.Key != "Authorization")) next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            if (SameOrigin(next.RequestUri!, origin)) next.Headers.Authorization = authorization;
            request = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>A failed response as a <see cref="RegistryException"/>: the first error of the spec's body, else the status.</summary>
    internal static async Task<RegistryException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackCode = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "UNAUTHORIZED",
            HttpStatusCode.Forbidden => "DENIED",
            HttpStatusCode.NotFound => "NOT_FOUND",
            HttpStatusCode.TooManyRequests => "TOOMANYREQUESTS",
            _ => "UNKNOWN",
        };
        var fallback = new RegistryException(status, fallbackCode, $"{status} {response.ReasonPhrase}".TrimEnd());
        if (response.RequestMessage?.Method == HttpMethod.Head) return fallback;
        try
        {
            var buffer = new byte[MaxErrorBody];
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            using var json = JsonDocument.Parse(buffer.AsMemory(0, length));
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
                return fallback;
            var first = errors[0];
            var code = Text(first, "code");
            if (string.IsNullOrEmpty(code)) return fallback;
            // detail may be any JSON (Docker Hub sends objects): kept as text
            var detail = first.TryGetProperty("detail", out var d) && d.ValueKind != JsonValueKind.Null
                ? d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText()
                : null;
            return new RegistryException(status, code, Text(first, "message") ?? code.Replace('_', ' ').ToLowerInvariant(), detail);
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            return fallback;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _transport.Dispose();
}
