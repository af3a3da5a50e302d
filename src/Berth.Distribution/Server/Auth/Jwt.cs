using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Berth.Distribution.Server.Auth;

public sealed record JwtHeader(string Alg, string Typ, string? Kid);

/// <summary>The claims of a Docker registry token: the standard ones plus <c>access</c>.</summary>
public sealed record JwtClaims(string Iss, string Sub, string Aud, long Exp, long Nbf, long Iat, string Jti, IReadOnlyList<ResourceActions> Access);

/// <summary>One <c>access</c> entry: what the bearer may do to one resource.</summary>
public sealed record ResourceActions(string Type, string Name, IReadOnlyList<string> Actions);

/// <summary>The token endpoint's answer (both names, as Docker's token spec asks).</summary>
public sealed record TokenResponse(string Token, [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("issued_at")] string IssuedAt);

/// <summary>Compact JWS (header.claims.signature, base64url) signed with ES256 or RS256.</summary>
public static class Jwt
{
    public static string Sign(JwtClaims claims, SigningKey key)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new JwtHeader(key.Algorithm, "JWT", key.KeyId), DistributionJsonContext.Relaxed.JwtHeader));
        var body = Encode(JsonSerializer.SerializeToUtf8Bytes(claims, DistributionJsonContext.Relaxed.JwtClaims));
        var signingInput = $"{header}.{body}";
        return $"{signingInput}.{Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput)))}";
    }

    /// <summary>The claims when the signature verifies with <paramref name="key"/> and the algorithm is the key's; else null.</summary>
    public static JwtClaims? Verify(string token, SigningKey key)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var header = JsonSerializer.Deserialize(Decode(parts[0]), DistributionJsonContext.Default.JwtHeader);
            if (header?.Alg != key.Algorithm) return null; // never let the token choose the algorithm
            if (!key.Verify(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Decode(parts[2]))) return null;
            return JsonSerializer.Deserialize(Decode(parts[1]), DistributionJsonContext.Default.JwtClaims);
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException)
        {
            return null;
        }
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
