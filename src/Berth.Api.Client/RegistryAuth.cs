using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Api.Models.System;

namespace Berth.Api.Client;

/// <summary>
/// Docker's AuthConfig on the wire, as Go's client marshals it: fields in its order, empty ones left out. The same JSON
/// is <c>POST /auth</c>'s body and, base64url with padding, the <c>X-Registry-Auth</c> header.
/// </summary>
public static class RegistryAuth
{
    /// <summary>Base64url of <c>{}</c>: the CLI always sends X-Registry-Auth, anonymous when it has no credentials.</summary>
    public const string Anonymous = "e30=";

    public static byte[] ToJson(AuthConfig config)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            Write(writer, "username", config.Username);
            Write(writer, "password", config.Password);
            Write(writer, "auth", config.Auth);
            Write(writer, "email", config.Email);
            Write(writer, "serveraddress", config.ServerAddress);
            Write(writer, "identitytoken", config.IdentityToken);
            Write(writer, "registrytoken", config.RegistryToken);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The <c>X-Registry-Auth</c> value: Go's <c>base64.URLEncoding</c> (URL alphabet, padded) of <see cref="ToJson"/>.</summary>
    public static string Encode(AuthConfig config) =>
        Convert.ToBase64String(ToJson(config)).Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The <c>X-Registry-Config</c> value of a build: base64url of a JSON object mapping each registry key to its
    /// AuthConfig, keys sorted as Go's encoder writes a map.
    /// </summary>
    public static string EncodeConfig(IReadOnlyDictionary<string, AuthConfig> configs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (key, config) in configs.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                writer.WriteRawValue(ToJson(config));
            }
            writer.WriteEndObject();
        }
        return Convert.ToBase64String(buffer.ToArray()).Replace('+', '-').Replace('/', '_');
    }

    private static void Write(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            writer.WriteString(name, value);
    }
}
