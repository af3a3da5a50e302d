using System.Globalization;

namespace Berth.Compose.Yaml;

/// <summary>Typed reads of nodes for the loader, each failing with compose's "must be a …" and the path.</summary>
public static class NodeAccess
{
    public static MapNode AsMap(this Node node, string file, string path) =>
        node as MapNode ?? throw new ComposeException(file, path, "must be a mapping");

    public static SeqNode AsSeq(this Node node, string file, string path) =>
        node as SeqNode ?? throw new ComposeException(file, path, "must be a list");

    public static string AsString(this Node node, string file, string path) =>
        node is ScalarNode s ? s.Value : throw new ComposeException(file, path, "must be a string");

    /// <summary>A string, or a list of strings (<c>dns: 8.8.8.8</c> and <c>dns: [8.8.8.8]</c>).</summary>
    public static List<string> AsStrings(this Node node, string file, string path) => node switch
    {
        ScalarNode { IsNull: true } => [],
        ScalarNode s => [s.Value],
        SeqNode seq => seq.Items.Select((i, n) => i.AsString(file, $"{path}.{n}")).ToList(),
        _ => throw new ComposeException(file, path, "must be a string or a list of strings"),
    };

    public static bool AsBool(this Node node, string file, string path) => node is ScalarNode s && BoolValue(s.Value) is { } b
        ? b
        : throw new ComposeException(file, path, "must be a boolean");

    public static long AsLong(this Node node, string file, string path) =>
        node is ScalarNode s && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ComposeException(file, path, "must be a number");

    /// <summary>YAML 1.1's booleans, which Compose files still use (<c>yes</c>, <c>on</c>).</summary>
    public static bool? BoolValue(string value) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "on" => true,
        "false" or "no" or "n" or "off" => false,
        _ => null,
    };

    public static string? StringOrNull(this MapNode map, string key, string file, string path) =>
        map[key] is { } node and not ScalarNode { IsNull: true } ? node.AsString(file, path + "." + key) : null;
}
