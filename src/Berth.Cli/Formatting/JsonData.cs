using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Cli.Formatting;

/// <summary>Template data built as JSON (AOT-safe: only writers and documents, no reflection).</summary>
internal static class JsonData
{
    public static JsonElement ToElement(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            node.WriteTo(writer);
        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    public static JsonNode? ToNode<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
}
