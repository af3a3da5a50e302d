using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Distribution.Server.Auth;

namespace Berth.Distribution.Client;

/// <summary>
/// Answers registries' challenges as Docker's client does. Per registry host it remembers the scheme it asked for;
/// Basic sends the call's credentials; Bearer fetches a token from the challenge's realm for the call's scopes
/// (<c>repository:&lt;name&gt;:pull[,push]</c>) with Basic credentials or anonymously, or with the identity token as an
/// OAuth refresh token, and caches it per (host, scopes, user) until shortly before it expires.
/// </summary>
internal sealed class Authenticator(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, TimeProvider time)
{
    private static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    /// <summary>The Authorization header to send before any challenge, when this host's scheme is known; else null.</summary>
    public async Task<AuthenticationHeaderValue?> PreemptAsync(AuthTarget target, CancellationToken cancellationToken) =>
        _challenges.TryGetValue(target.Host, out var challenge) ? await AnswerAsync(target, challenge, cancellationToken) : null;

    /// <summary>The Authorization header answering a 401's challenges; throws when none can be answered.</summary>
    /// <exception cref="RegistryException">401: no supported challenge, no credentials for Basic, or the token endpoint refused.</exception>
    public async Task<AuthenticationHeaderValue> AnswerAsync(AuthTarget target, IReadOnlyList<AuthChallenge> challenges, CancellationToken cancellationToken)
    {
        var challenge = challenges.FirstOrDefault(c => c.IsBearer && c.Realm is not null) ?? challenges.FirstOrDefault(c => c.IsBasic)
            ?? throw new RegistryException(401, "UNAUTHORIZED", "authentication required", "the registry sent no Basic or Bearer challenge");
        _challenges[target.Host] = challenge;
        _tokens.TryRemove(TokenKey(target), out _); // the token we sent (if any) was refused
        return await AnswerAsync(target, challenge, cancellationToken)
            ?? throw new RegistryException(401, "UNAUTHORIZED", "authentication required", "the registry wants credentials and none were given");
    }

    private async Task<AuthenticationHeaderValue?> AnswerAsync(AuthTarget target, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        if (challenge.IsBasic) return Basic(target.Credentials);
        var key = TokenKey(target);
        if (_tokens.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow()) return new("Bearer", cached.Token);
        var (token, lifetime) = await FetchTokenAsync(target, challenge, cancellationToken);
        _tokens[key] = (token, time.GetUtcNow() + lifetime - Margin);
        return new("Bearer", token);
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(AuthTarget target, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        using var request = target.Credentials is { IdentityToken: { Length: > 0 } refresh }
            ? RefreshRequest(challenge, target.Scopes, refresh)
            : TokenRequest(challenge, target.Scopes, target.Credentials);
        using var response = await send(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await RegistryClient.ErrorAsync(response, cancellationToken);
            throw response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? new RegistryException(401, "UNAUTHORIZED", error.Detail ?? error.RegistryMessage, $"token endpoint {challenge.Realm}", error)
                : error;
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        TokenResponse? answer;
        try
        {
            answer = await JsonSerializer.DeserializeAsync(body, DistributionJsonContext.Default.TokenResponse, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new RegistryException((int)response.StatusCode, "UNKNOWN", "the token endpoint's answer is not JSON", challenge.Realm, e);
        }
        var token = answer?.Token is { Length: > 0 } t ? t : answer?.AccessToken is { Length: > 0 } a ? a
            : throw new RegistryException((int)response.StatusCode, "UNKNOWN", "the token endpoint sent no token", challenge.Realm);
        var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn);
        return (token, lifetime < MinimumLifetime ? MinimumLifetime : lifetime); // the spec's default is 60 s
    }

    /// <summary><c>GET realm?service=…&amp;scope=…</c>, with Basic credentials or anonymous.</summary>
    private static HttpRequestMessage TokenRequest(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials? credentials)
    {
        var query = new StringBuilder();
        if (challenge.Service is { } service) query.Append("service=").Append(Uri.EscapeDataString(service));
        foreach (var scope in scopes) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        var realm = challenge.Realm!;
        var request = new HttpRequestMessage(HttpMethod.Get, realm + (realm.Contains('?') ? "&" : "?") + query);
        request.Headers.Authorization = Basic(credentials);
        return request;
    }

    /// <summary>OAuth2 <c>POST realm</c> with <c>grant_type=refresh_token</c>: how Docker uses an identity token.</summary>
    private static HttpRequestMessage RefreshRequest(AuthChallenge challenge, IReadOnlyList<string> scopes, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"), new("refresh_token", refreshToken), new("client_id", "berth"),
            new("service", challenge.Service ?? ""), new("scope", string.Join(' ', scopes)),
        };
        return new HttpRequestMessage(HttpMethod.Post, challenge.Realm) { Content = new FormUrlEncodedContent(form) };
    }

    private static AuthenticationHeaderValue? Basic(RegistryCredentials? credentials) =>
        credentials is null || credentials.IsAnonymous || string.IsNullOrEmpty(credentials.Username) ? null
            : new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    private static string TokenKey(AuthTarget target) =>
        $"{target.Host}|{string.Join(' ', target.Scopes)}|{target.Credentials?.CacheKey}";
}

/// <summary>Who asks what of which registry host: the key of the auth caches.</summary>
internal sealed record AuthTarget(string Host, IReadOnlyList<string> Scopes, RegistryCredentials? Credentials);
