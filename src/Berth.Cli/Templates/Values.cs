using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// A typed nil pointer held in a struct field (docker's <c>ContainerContext.Platform()</c> when the daemon sent no
/// platform): printed as <c>&lt;nil&gt;</c>, where a nil out of an interface prints as no value; false in a condition,
/// <c>null</c> in JSON.
/// </summary>
internal sealed class NilPointer
{
    public static readonly NilPointer Instance = new();

    private NilPointer()
    {
    }
}

/// <summary>
/// Go's invalid reflect.Value: what a missing map key evaluates to. Printed as
/// <c>&lt;no value&gt;</c>, false in a condition, nil when passed to a function.
/// </summary>
internal sealed class NoValue
{
    public static readonly NoValue Instance = new();

    private NoValue()
    {
    }
}

/// <summary>
/// The value model templates see. Every value is normalized to one of: null, string, bool,
/// long, double, a map (JSON object, <see cref="JsonObject"/>, string-keyed dictionary), a list
/// (JSON array, <see cref="JsonArray"/>, any other enumerable), an <see cref="ITemplateObject"/>
/// or <see cref="NoValue"/>. JSON objects stay JSON so that <c>json</c> keeps their key order.
/// </summary>
internal static class Values
{
    public static object? Normalize(object? value) => value switch
    {
        null or string or bool or long or double => value,
        JsonElement element => FromElement(element),
        JsonValue node => FromJsonValue(node),
        int i => (long)i,
        uint u => (long)u,
        short s => (long)s,
        ushort s => (long)s,
        byte b => (long)b,
        sbyte b => (long)b,
        ulong u => u <= long.MaxValue ? (long)u : (double)u,
        float f => (double)f,
        decimal d => (double)d,
        char c => (long)c,
        Enum e => e.ToString(),
        _ => value,
    };

    private static object? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.Object or JsonValueKind.Array => element,
        _ => null,
    };

    private static object? FromJsonValue(JsonValue node)
    {
        if (node.TryGetValue<JsonElement>(out var element))
            return FromElement(element);
        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.TryGetValue<string>(out var s) ? s : node.ToString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => node.TryGetValue<long>(out var l) ? (object)l
                : node.TryGetValue<int>(out var i) ? (long)i
                : node.TryGetValue<double>(out var d) ? d
                : Normalize(JsonDocument.Parse(node.ToJsonString()).RootElement),
            _ => null,
        };
    }

    public static bool IsMap(object? value) => value is JsonElement { ValueKind: JsonValueKind.Object }
        or JsonObject or IReadOnlyDictionary<string, object?> or IReadOnlyDictionary<string, string> or IDictionary;

    public static bool IsList(object? value) => !IsMap(value) && value switch
    {
        JsonElement e => e.ValueKind == JsonValueKind.Array,
        string or ITemplateObject => false,
        IEnumerable => true,
        _ => false,
    };

    /// <summary>A key of a map, normalized; false when the key is absent.</summary>
    public static bool TryGetKey(object? map, string key, out object? value)
    {
        value = null;
        switch (map)
        {
            case JsonElement element:
                if (!element.TryGetProperty(key, out var property))
                    return false;
                value = Normalize(property);
                return true;
            case JsonObject json:
                if (!json.TryGetPropertyValue(key, out var node))
                    return false;
                value = Normalize(node);
                return true;
            case IReadOnlyDictionary<string, object?> dictionary:
                if (!dictionary.TryGetValue(key, out value))
                    return false;
                value = Normalize(value);
                return true;
            case IReadOnlyDictionary<string, string> strings:
                if (!strings.TryGetValue(key, out var text))
                    return false;
                value = text;
                return true;
            case IDictionary dictionary:
                if (!dictionary.Contains(key))
                    return false;
                value = Normalize(dictionary[key]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The entries of a map sorted by key, as Go's fmt and range visit them.</summary>
    public static List<KeyValuePair<string, object?>> SortedEntries(object? map)
    {
        var entries = Entries(map).ToList();
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries;
    }

    /// <summary>The entries of a map in their own order (a JSON object's document order).</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Entries(object? map)
    {
        switch (map)
        {
            case JsonElement element:
                foreach (var property in element.EnumerateObject())
                    yield return new(property.Name, Normalize(property.Value));
                break;
            case JsonObject json:
                foreach (var (key, node) in json)
                    yield return new(key, Normalize(node));
                break;
            case IReadOnlyDictionary<string, object?> dictionary:
                foreach (var (key, value) in dictionary)
                    yield return new(key, Normalize(value));
                break;
            case IReadOnlyDictionary<string, string> strings:
                foreach (var (key, value) in strings)
                    yield return new(key, value);
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                    yield return new(entry.Key.ToString() ?? "", Normalize(entry.Value));
                break;
        }
    }

    public static List<object?> Items(object? list)
    {
        var items = new List<object?>();
        switch (list)
        {
            case JsonElement element:
                foreach (var item in element.EnumerateArray())
                    items.Add(Normalize(item));
                break;
            case JsonArray array:
                foreach (var node in array)
                    items.Add(Normalize(node));
                break;
            case IEnumerable enumerable:
                foreach (var item in enumerable)
                    items.Add(Normalize(item));
                break;
        }
        return items;
    }

    public static int Count(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().Count(),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.GetArrayLength(),
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        ICollection c => c.Count,
        _ when IsMap(value) => Entries(value).Count(),
        _ => Items(value).Count,
    };

    /// <summary>Go's truth: false, 0, nil, an empty string, list or map are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null or NoValue or NilPointer => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        ITemplateObject => true,
        _ when IsMap(value) || IsList(value) => Count(value) > 0,
        _ => true,
    };

    /// <summary>The Go type a value would have had in docker, for error messages.</summary>
    public static string GoTypeName(object? value) => value switch
    {
        null or NoValue => "interface {}",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        ITemplateObject o => o.TypeName,
        _ when IsMap(value) => "map[string]interface {}",
        _ when IsList(value) => "[]interface {}",
        _ => value.GetType().Name,
    };
}
