using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// docker's <c>json</c> template function: encoding/json with HTML escaping off (but on inside the formatter
/// objects of ps, images…, which marshal themselves with json.Marshal). JSON objects
/// keep their key order (docker marshals the same structs the API sent), maps sort their keys,
/// JSON numbers keep their text.
/// </summary>
internal static class GoJson
{
    /// <summary>
    /// What Go's HTML-safe encoder does to encoded JSON: <c>&lt; &gt; &amp;</c> become <c>\u003c \u003e \u0026</c>
    /// (they only occur inside strings, so the text can be rewritten whole).
    /// </summary>
    public static string EscapeHtml(string json) =>
        json.Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);

    public static string Encode(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null or NoValue or NilPointer:
                sb.Append("null");
                break;
            case JsonElement { ValueKind: JsonValueKind.Number } number:
                sb.Append(number.GetRawText());
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                WriteObject(sb, element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)));
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } element:
                WriteArray(sb, element.EnumerateArray().Select(e => (object?)e));
                break;
            case JsonElement element:
                Write(sb, Values.Normalize(element));
                break;
            case System.Text.Json.Nodes.JsonObject json:
                WriteObject(sb, json.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
                break;
            case System.Text.Json.Nodes.JsonValue node when node.GetValueKind() == JsonValueKind.Number:
                sb.Append(node.ToJsonString());
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d))
                    throw new TemplateFunctionException($"json: unsupported value: {GoFloat.General(d)}");
                sb.Append(GoFloat.Json(d));
                break;
            case IJsonBacked backed:
                Write(sb, backed.Json);
                break;
            case ITemplateObject o:
                // docker's formatter contexts marshal themselves with json.Marshal, which escapes HTML characters.
                var fields = (o is IStructTemplateObject ? o.FieldNames : o.FieldNames.Order(StringComparer.Ordinal))
                    .Select(name => new KeyValuePair<string, object?>(name, o.TryGetField(name, out var v) ? v : null));
                var marshalled = new StringBuilder();
                WriteObject(marshalled, fields);
                sb.Append(EscapeHtml(marshalled.ToString()));
                break;
            case var _ when Values.IsMap(value):
                WriteObject(sb, Values.SortedEntries(value));
                break;
            case var _ when Values.IsList(value):
                WriteArray(sb, Values.Items(value));
                break;
            default:
                var normalized = Values.Normalize(value);
                if (ReferenceEquals(normalized, value))
                    throw new TemplateFunctionException($"json: unsupported type: {value.GetType().Name}");
                Write(sb, normalized);
                break;
        }
    }

    private static void WriteObject(StringBuilder sb, IEnumerable<KeyValuePair<string, object?>> entries)
    {
        sb.Append('{');
        var first = true;
        foreach (var (key, value) in entries)
        {
            if (!first)
                sb.Append(',');
            first = false;
            WriteString(sb, key);
            sb.Append(':');
            Write(sb, value);
        }
        sb.Append('}');
    }

    private static void WriteArray(StringBuilder sb, IEnumerable<object?> items)
    {
        sb.Append('[');
        var first = true;
        foreach (var item in items)
        {
            if (!first)
                sb.Append(',');
            first = false;
            Write(sb, item);
        }
        sb.Append(']');
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ': sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                        sb.Append(c).Append(s[++i]);
                    else if (char.IsSurrogate(c))
                        sb.Append("\\ufffd");
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
