using System.Globalization;
using System.Text;

namespace Berth.Compose.Yaml;

/// <summary>
/// Writes nodes as <c>docker compose config</c> prints YAML: two-space indents, sequences under their key with
/// <c>- </c>, strings double-quoted only where YAML would read them as something else (<c>"8080"</c>, <c>"true"</c>,
/// <c>""</c>) or where they hold YAML's indicators.
/// </summary>
public static class YamlWriter
{
    public static string Write(Node node)
    {
        var output = new StringBuilder();
        WriteBlock(output, node, 0);
        return output.ToString();
    }

    /// <summary>Whether two nodes print the same: equal values, whatever object holds them.</summary>
    public static bool Same(Node a, Node b) => Write(a) == Write(b);

    private static void WriteBlock(StringBuilder output, Node node, int indent)
    {
        switch (node)
        {
            case MapNode { Entries.Count: 0 }:
                output.Append(' ', indent).Append("{}\n");
                break;
            case MapNode map:
                foreach (var (key, value) in map.Entries)
                    WriteEntry(output, Scalar(key, quoted: true), value, indent);
                break;
            case SeqNode { Items.Count: 0 }:
                output.Append(' ', indent).Append("[]\n");
                break;
            case SeqNode seq:
                foreach (var item in seq.Items)
                    WriteItem(output, item, indent);
                break;
            case ScalarNode scalar:
                output.Append(' ', indent).Append(Scalar(scalar)).Append('\n');
                break;
        }
    }

    private static void WriteEntry(StringBuilder output, string key, Node value, int indent)
    {
        output.Append(' ', indent).Append(key).Append(':');
        if (IsInline(value))
            output.Append(' ').Append(Inline(value)).Append('\n');
        else
        {
            output.Append('\n');
            WriteBlock(output, value, indent + 2);
        }
    }

    private static void WriteItem(StringBuilder output, Node item, int indent)
    {
        output.Append(' ', indent).Append("- ");
        if (IsInline(item))
        {
            output.Append(Inline(item)).Append('\n');
            return;
        }
        // The first line of a nested block goes after the dash; the rest align with it.
        var nested = new StringBuilder();
        WriteBlock(nested, item, indent + 2);
        output.Append(nested, indent + 2, nested.Length - indent - 2);
    }

    private static bool IsInline(Node node) => node is ScalarNode or MapNode { Entries.Count: 0 } or SeqNode { Items.Count: 0 };

    private static string Inline(Node node) => node switch
    {
        ScalarNode s => Scalar(s),
        MapNode => "{}",
        _ => "[]",
    };

    private static string Scalar(ScalarNode scalar) => IsTyped(scalar) ? Typed(scalar) : Scalar(scalar.Value, quoted: true);

    /// <summary>A plain scalar that YAML reads as null, a number or a boolean, printed as it is.</summary>
    private static bool IsTyped(ScalarNode scalar) =>
        !scalar.Quoted && (scalar.IsNull || IsNumber(scalar.Value) || NodeAccess.BoolValue(scalar.Value) is not null);

    private static string Typed(ScalarNode scalar) =>
        scalar.IsNull ? "null" : NodeAccess.BoolValue(scalar.Value) is { } b ? (b ? "true" : "false") : scalar.Value;

    private static string Scalar(string value, bool quoted) => quoted && NeedsQuotes(value) ? Quote(value) : value;

    private static bool NeedsQuotes(string value) =>
        value.Length == 0 || IsNumber(value) || NodeAccess.BoolValue(value) is not null || new ScalarNode(value).IsNull
        || ",[]{}#&*!|>'\"%@` ".Contains(value[0])
        // '-', '?' and ':' start a plain scalar unless a space follows (then they are YAML's indicators).
        || value[0] is '-' or '?' or ':' && (value.Length == 1 || value[1] == ' ') || value[^1] is ' ' or ':'
        || value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal)
        || value.Any(c => char.IsControl(c));

    private static bool IsNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || value is ".inf" or "-.inf" or ".nan"
        || value.StartsWith("0x", StringComparison.Ordinal) || value.StartsWith("0o", StringComparison.Ordinal);

    private static string Quote(string value)
    {
        var output = new StringBuilder("\"");
        foreach (var c in value)
        {
            output.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return output.Append('"').ToString();
    }

    /// <summary>Compact JSON of a node (mappings in their order): what a service's configuration hash is computed over.</summary>
    public static string Json(Node node)
    {
        var output = new StringBuilder();
        WriteJson(output, node);
        return output.ToString();
    }

    /// <summary>JSON as Go's <c>json.MarshalIndent(v, "", "  ")</c> prints it (mappings in their order), for <c>config --format json</c>.</summary>
    public static string IndentedJson(Node node)
    {
        var output = new StringBuilder();
        WriteJson(output, node, 0);
        return output.Append('\n').ToString();
    }

    private static void WriteJson(StringBuilder output, Node node, int indent)
    {
        var items = node switch
        {
            MapNode map => map.Entries.Select(e => (Key: (string?)e.Key, e.Value)).ToList(),
            SeqNode seq => seq.Items.Select(i => (Key: (string?)null, Value: i)).ToList(),
            _ => null,
        };
        if (items is null)
        {
            var scalar = (ScalarNode)node;
            output.Append(IsTyped(scalar) ? Typed(scalar) : JsonString(scalar.Value));
            return;
        }
        var (open, close) = node is MapNode ? ('{', '}') : ('[', ']');
        output.Append(open);
        for (var i = 0; i < items.Count; i++)
        {
            output.Append(i == 0 ? "\n" : ",\n").Append(' ', indent + 2);
            if (items[i].Key is { } key)
                output.Append(JsonString(key)).Append(": ");
            WriteJson(output, items[i].Value, indent + 2);
        }
        if (items.Count > 0)
            output.Append('\n').Append(' ', indent);
        output.Append(close);
    }

    /// <summary>A JSON string with Go's escapes: its encoder also escapes &lt;, &gt; and &amp; for HTML.</summary>
    private static string JsonString(string value) =>
        Quote(value).Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);

    private static void WriteJson(StringBuilder output, Node node)
    {
        switch (node)
        {
            case MapNode map:
                output.Append('{');
                var first = true;
                foreach (var (key, value) in map.Entries)
                {
                    if (!first)
                        output.Append(',');
                    first = false;
                    output.Append(Quote(key)).Append(':');
                    WriteJson(output, value);
                }
                output.Append('}');
                break;
            case SeqNode seq:
                output.Append('[');
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (i > 0)
                        output.Append(',');
                    WriteJson(output, seq.Items[i]);
                }
                output.Append(']');
                break;
            case ScalarNode scalar:
                output.Append(IsTyped(scalar) ? Typed(scalar) : Quote(scalar.Value));
                break;
        }
    }
}
