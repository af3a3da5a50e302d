using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Server.Auth;

/// <summary>
/// The token server (Docker's token spec, <c>GET ?service=&amp;scope=</c> with optional Basic credentials).
/// Policy: a user of the htpasswd file gets every action asked for; an anonymous client gets pull when
/// <see cref="TokenAuthOptions.AnonymousPull"/> allows it, else nothing; wrong credentials get 401.
/// </summary>
public sealed class TokenEndpoint(TokenAuthOptions options, SigningKey key, Htpasswd? htpasswd, TimeProvider time, ILogger<TokenEndpoint> logger)
{
    private static readonly string[] KnownActions = [Access.Pull, Access.Push, Access.Delete, "*"];

    public string Path => options.EndpointPath;

    public async Task HandleAsync(HttpContext http)
    {
        var query = http.Request.Query;
        var service = query["service"].ToString();
        if (service.Length > 0 && service != options.Service)
            throw new RegistryException(ErrorCode.Denied.WithStatus(400), $"this token server serves \"{options.Service}\", not \"{service}\"");
        var account = Authenticate(http.Request.Headers.Authorization);
        var requested = query["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(ParseScope).OfType<ResourceActions>();
        var granted = requested.Select(r => Grant(account, r)).Where(r => r.Actions.Count > 0).ToList();
        var now = time.GetUtcNow();
        var claims = new JwtClaims(options.Issuer, account ?? "", options.Service, (now + options.Lifetime).ToUnixTimeSeconds(),
            now.ToUnixTimeSeconds(), now.ToUnixTimeSeconds(), Guid.NewGuid().ToString("N"), granted);
        var token = Jwt.Sign(claims, key);
        Log.TokenIssued(logger, account ?? "(anonymous)", string.Join(' ', granted.Select(g => $"{g.Type}:{g.Name}:{string.Join(',', g.Actions)}")));
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        var response = new TokenResponse(token, token, (int)options.Lifetime.TotalSeconds, now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        await JsonSerializer.SerializeAsync(http.Response.Body, response, DistributionJsonContext.Relaxed.TokenResponse, http.RequestAborted);
    }

    /// <summary>The user name, null for anonymous; wrong credentials are a 401.</summary>
    private string? Authenticate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization)) return null;
        if (Htpasswd.ParseBasic(authorization) is { } c && htpasswd is not null && htpasswd.Verify(c.User, c.Password)) return c.User;
        Log.AuthenticationFailed(logger, Htpasswd.ParseBasic(authorization)?.User ?? "(malformed)");
        throw new RegistryException(ErrorCode.Unauthorized, "invalid username or password")
            .WithHeader("WWW-Authenticate", $"Basic realm=\"{options.Service}\"");
    }

    private ResourceActions Grant(string? account, ResourceActions requested)
    {
        var allowed = account is not null
            ? requested.Actions.Where(KnownActions.Contains)
            : options.AnonymousPull && requested.Type == "repository" ? requested.Actions.Where(a => a == Access.Pull) : [];
        return requested with { Actions = allowed.Distinct().ToList() };
    }

    /// <summary><c>type:name:action,action</c>; the name may itself hold colons (a registry host with a port).</summary>
    private static ResourceActions? ParseScope(string scope)
    {
        var first = scope.IndexOf(':');
        var last = scope.LastIndexOf(':');
        if (first <= 0 || last == first) return null;
        var name = scope[(first + 1)..last];
        var type = scope[..first];
        if (type == "repository" && !Grammar.IsName(name)) return null;
        return new ResourceActions(type, name, scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
    }
}
