using System.Text;
using System.Text.Json;
using Berth.Distribution.Client;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server.Images;

/// <summary>
/// <c>X-Registry-Auth</c>: base64 of <c>{"username","password","identitytoken",…}</c>. The CLI sends base64url with padding,
/// others standard base64 or no padding; both alphabets are accepted, and anything undecodable means anonymous.
/// </summary>
public static class RegistryAuth
{
    public static RegistryCredentials? FromHeader(HttpRequest request)
    {
        var header = request.Headers["X-Registry-Auth"].ToString();
        if (header.Length == 0) return null;
        try
        {
            var base64 = header.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            string? Field(string name) =>
                document.RootElement.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value
                    is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } s ? s : null;
            var credentials = new RegistryCredentials(Field("username"), Field("password"), Field("identitytoken"));
            return credentials.IsAnonymous ? null : credentials;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
