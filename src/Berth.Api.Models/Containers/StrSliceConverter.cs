using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>
/// Go's <c>strslice.StrSlice</c>: a JSON array of strings, or a single string read as a one-element list
/// (older clients send <c>"Cmd": "echo hi"</c>). Written as an array; null stays null.
/// </summary>
public sealed class StrSliceConverter : JsonConverter<List<string>>
{
    public override bool HandleNull => false;

    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return [reader.GetString()!];
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException($"expected a string or an array of strings, got {reader.TokenType}");
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"expected a string in the array, got {reader.TokenType}");
            list.Add(reader.GetString()!);
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
            writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
