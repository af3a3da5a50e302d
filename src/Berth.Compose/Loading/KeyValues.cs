using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// The "list or mapping" fields (<c>environment</c>, <c>labels</c>, <c>build.args</c>…) to one mapping. In the list
/// form <c>KEY=VALUE</c> sets a value and a bare <c>KEY</c> takes it from <paramref name="lookup"/> (null when that
/// has none, as compose leaves it); in the mapping form numbers and booleans become their text.
/// </summary>
public static class KeyValues
{
    public static MapNode ToMap(Node node, string file, string path, Func<string, string?>? lookup = null, string separator = "=")
    {
        var map = new MapNode();
        switch (node)
        {
            case ScalarNode { IsNull: true }:
                break;
            case MapNode source:
                foreach (var (key, value) in source.Entries)
                    map.Set(key, value is ScalarNode { IsNull: true } ? Bare(key, lookup) : ScalarNode.String(value.AsString(file, $"{path}.{key}")));
                break;
            case SeqNode seq:
                foreach (var item in seq.Items)
                {
                    var text = item.AsString(file, path);
                    var at = text.IndexOf(separator, StringComparison.Ordinal);
                    if (at < 0)
                        map.Set(text, Bare(text, lookup));
                    else
                        map.Set(text[..at], ScalarNode.String(text[(at + separator.Length)..]));
                }
                break;
            default:
                throw new ComposeException(file, path, "must be a mapping or a list");
        }
        return map;
    }

    private static ScalarNode Bare(string key, Func<string, string?>? lookup) =>
        lookup?.Invoke(key) is { } value ? ScalarNode.String(value) : ScalarNode.Null;
}
