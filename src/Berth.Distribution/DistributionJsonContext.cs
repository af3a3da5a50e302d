using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Auth;
using Berth.Oci.Image;

namespace Berth.Distribution;

/// <summary>Source-generated JSON for the registry's own documents (errors, lists, tokens, the manifest probe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(RepositoryList))]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(JwtClaims))]
internal sealed partial class DistributionJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For writing: the default encoder escapes '+', '&lt;', '"' and friends as \uXXXX, and Go clients parse some
    /// values (a token's <c>issued_at</c>) without unescaping them.
    /// </summary>
    public static DistributionJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
