using Microsoft.AspNetCore.Http;

namespace Berth.Distribution.Server.Auth;

/// <summary>
/// Docker token auth on the registry side: every request must carry a Bearer JWT signed by the token key, for
/// this service, unexpired, whose <c>access</c> claims cover what the request needs. Otherwise a 401 with
/// <c>WWW-Authenticate: Bearer realm,service,scope</c> sends the client to the token endpoint.
/// </summary>
public sealed class TokenAuthorizer(TokenAuthOptions options, SigningKey key, TimeProvider time) : IRegistryAuthorizer
{
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    public ValueTask<RegistryException?> CheckAsync(HttpContext context, IReadOnlyList<Access> needs, IReadOnlyList<Access>? optional = null) =>
        ValueTask.FromResult(Check(context.Request.Headers.Authorization.ToString(), needs, [.. needs, .. optional ?? []]));

    private RegistryException? Check(string authorization, IReadOnlyList<Access> needs, IReadOnlyList<Access> asked)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Challenge(ErrorCode.Unauthorized, "a bearer token is required", asked, null);
        var claims = Jwt.Verify(authorization[7..].Trim(), key);
        if (claims is null || !IsCurrent(claims))
            return Challenge(ErrorCode.Unauthorized, "invalid or expired token", asked, "invalid_token");
        var missing = needs.Where(need => !Grants(claims, need)).ToList();
        return missing.Count == 0 ? null : Challenge(ErrorCode.Denied, $"the token does not grant {Access.Scope(missing)}", asked, "insufficient_scope");
    }

    private bool IsCurrent(JwtClaims claims)
    {
        var now = time.GetUtcNow();
        return claims.Iss == options.Issuer && claims.Aud == options.Service
            && DateTimeOffset.FromUnixTimeSeconds(claims.Nbf) - Leeway <= now
            && DateTimeOffset.FromUnixTimeSeconds(claims.Exp) + Leeway > now;
    }

    private static bool Grants(JwtClaims claims, Access need) => claims.Access.Any(entry =>
        entry.Type == need.Type && entry.Name == need.Name && (entry.Actions.Contains(need.Action) || entry.Actions.Contains("*")));

    /// <summary>401 even when the token is merely short of scope: clients answer a 401 by fetching a better token.</summary>
    private RegistryException Challenge(ErrorCode code, string detail, IReadOnlyList<Access> needs, string? error)
    {
        var challenge = $"Bearer realm=\"{options.Realm}\",service=\"{options.Service}\"";
        if (needs.Count > 0) challenge += $",scope=\"{Access.Scope(needs)}\"";
        if (error is not null) challenge += $",error=\"{error}\"";
        return new RegistryException(code.WithStatus(StatusCodes.Status401Unauthorized), detail).WithHeader("WWW-Authenticate", challenge);
    }
}
