using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Content;
using Berth.Images.Archive;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>
/// The JSON the image store writes (configs, manifests, archive files): compact, and with <c>+</c> in media types
/// written as is rather than as <c>\u002B</c>, as Docker writes them; and the JSON it reads, with a size limit.
/// </summary>
internal static class ImageJson
{
    /// <summary>No manifest, index or config comes near this; an archive that claims one does is hostile.</summary>
    private const long MaxDocumentSize = 16 * 1024 * 1024;

    private static readonly JsonSerializerOptions Oci = Compact(OciJsonContext.Default.Options);
    private static readonly JsonSerializerOptions Archive = Compact(ArchiveJsonContext.Default.Options);

    public static byte[] Serialize(ImageConfig value) => Serialize(value, Oci);
    public static byte[] Serialize(ImageManifest value) => Serialize(value, Oci);
    public static byte[] Serialize(ImageIndex value) => Serialize(value, Oci);
    public static byte[] Serialize<T>(T value) => Serialize(value, Archive);

    /// <summary>A JSON blob from the content store, parsed; too large or malformed is InvalidArgument.</summary>
    public static async Task<T> ReadAsync<T>(IContentProvider content, Digest digest, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        if ((await content.InfoAsync(digest, cancellationToken)).Size > MaxDocumentSize)
            throw ImageException.Invalid($"{what} is larger than {MaxDocumentSize} bytes");
        return Parse(await content.ReadAllBytesAsync(digest, cancellationToken), type, what);
    }

    public static T Parse<T>(byte[] bytes, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw ImageException.Invalid($"{what} is null");
        }
        catch (JsonException e)
        {
            throw ImageException.Invalid($"{what} is not valid JSON: {e.Message}", e);
        }
    }

    private static byte[] Serialize<T>(T value, JsonSerializerOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes(value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));

    private static JsonSerializerOptions Compact(JsonSerializerOptions options)
    {
        var compact = new JsonSerializerOptions(options) { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        compact.MakeReadOnly();
        return compact;
    }
}
