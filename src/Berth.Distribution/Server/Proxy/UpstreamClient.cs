using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Distribution.Server.Auth;

namespace Berth.Distribution.Server.Proxy;

/// <summary>
/// Reads from the upstream registry of a pull-through cache. Answers its auth challenges the way Docker's client
/// does: Basic with the configured credentials, or Bearer with a token fetched from the challenge's realm for
/// <c>repository:&lt;name&gt;:pull</c> (cached until it expires).
/// </summary>
public sealed partial class UpstreamClient(HttpClient http, ProxyOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    /// <summary>GETs (or HEADs) <c>/v2/&lt;name&gt;/&lt;suffix&gt;</c>; the caller owns the response, whatever its status.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string name, string suffix, IEnumerable<string> accept, CancellationToken cancellationToken)
    {
        var uri = new Uri(new Uri(options.RemoteUrl), $"/v2/{name}/{suffix}");
        var response = await SendOnceAsync(method, uri, accept, _tokens.TryGetValue(name, out var cached) && cached.Until > time.GetUtcNow() ? cached.Token : null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
        response.Dispose();
        var authorization = challenge?.Scheme.ToLowerInvariant() switch
        {
            "bearer" => await FetchTokenAsync(name, challenge.Parameter ?? "", cancellationToken),
            "basic" => BasicCredentials(),
            _ => null,
        };
        if (authorization is null) throw Unreachable($"{options.RemoteUrl} wants credentials this registry does not have");
        return await SendOnceAsync(method, uri, accept, authorization, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, Uri uri, IEnumerable<string> accept, string? authorization, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, uri);
        foreach (var type in accept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e.Message, e);
        }
    }

    private async Task<string> FetchTokenAsync(string name, string challenge, CancellationToken cancellationToken)
    {
        var parameters = ChallengeParameter().Matches(challenge).ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
        if (!parameters.TryGetValue("realm", out var realm)) throw Unreachable("the upstream's Bearer challenge has no realm");
        var query = $"?scope={Uri.EscapeDataString($"repository:{name}:pull")}";
        if (parameters.TryGetValue("service", out var service)) query += $"&service={Uri.EscapeDataString(service)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, realm + query);
        if (BasicCredentials() is { } basic) request.Headers.TryAddWithoutValidation("Authorization", basic);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode) throw Unreachable($"the upstream's token endpoint answered {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync(cancellationToken);
        var token = body?.Token ?? body?.AccessToken ?? throw Unreachable("the upstream's token endpoint sent no token");
        var lifetime = TimeSpan.FromSeconds(Math.Max(60, body.ExpiresIn) - 30);
        _tokens[name] = ($"Bearer {token}", time.GetUtcNow() + lifetime);
        return $"Bearer {token}";
    }

    private string? BasicCredentials() => options.Username is null ? null
        : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));

    private static RegistryException Unreachable(string detail, Exception? inner = null) =>
        new(new ErrorCode("UNAVAILABLE", 503, "the upstream registry is unavailable"), detail, inner);

    [GeneratedRegex("""(\w+)="([^"]*)"?""")]
    private static partial Regex ChallengeParameter();
}

internal static class TokenJson
{
    public static async Task<TokenResponse?> ReadFromJsonAsync(this HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, DistributionJsonContext.Default.TokenResponse, cancellationToken);
    }
}
