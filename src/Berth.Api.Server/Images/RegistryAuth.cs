using System.Text;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.System;
using Berth.Engine.Images;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server.Images;

/// <summary>
/// Docker's AuthConfig as credentials: from <c>X-Registry-Auth</c> (base64 of the JSON; the CLI sends base64url with
/// padding, others standard base64 or no padding; both alphabets are accepted, and anything undecodable means
/// anonymous) or from <c>POST /auth</c>'s body.
/// </summary>
public static class RegistryAuth
{
    public static RegistryLogin? FromHeader(HttpRequest request)
    {
        var header = request.Headers["X-Registry-Auth"].ToString();
        if (header.Length == 0) return null;
        try
        {
            var config = JsonSerializer.Deserialize(DecodeHeader(header), ApiJsonContext.Default.AuthConfig);
            return config is null ? null : ToLogin(config) is { IsAnonymous: false } login ? login : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A registry header's base64, in either alphabet, padded or not.</summary>
    /// <exception cref="FormatException">not base64.</exception>
    public static byte[] DecodeHeader(string header)
    {
        var base64 = header.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }

    /// <summary>Username and password, else the <c>auth</c> field (<c>base64(user:password)</c>, config.json's form), and the identity token.</summary>
    public static RegistryLogin ToLogin(AuthConfig config)
    {
        string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
        var (username, password) = (NonEmpty(config.Username), NonEmpty(config.Password));
        if (username is null && NonEmpty(config.Auth) is { } auth)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = pair.IndexOf(':');
            (username, password) = colon < 0 ? (pair, null) : (pair[..colon], pair[(colon + 1)..]);
        }
        return new RegistryLogin(username, password, NonEmpty(config.IdentityToken));
    }
}
