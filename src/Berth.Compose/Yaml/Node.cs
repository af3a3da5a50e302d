namespace Berth.Compose.Yaml;

/// <summary>
/// A YAML value as Compose reads it, before it is typed: a mapping, a sequence or a scalar. Anchors and aliases are
/// already resolved and merge keys (<c>&lt;&lt;</c>) applied, so the loader sees plain trees.
/// </summary>
public abstract class Node
{
    /// <summary>A deep copy: an alias shares its anchor's node, and the loader rewrites nodes in place.</summary>
    public abstract Node Clone();

    /// <summary>A scalar's text; a mapping or sequence as YAML.</summary>
    public override string ToString() => YamlWriter.Write(this);
}

/// <summary>A mapping with its keys in file order (Compose prints maps sorted, but merges keep the first file's order).</summary>
public sealed class MapNode : Node
{
    public OrderedDictionary<string, Node> Entries { get; } = new(StringComparer.Ordinal);

    public Node? this[string key] => Entries.GetValueOrDefault(key);

    public void Set(string key, Node value) => Entries[key] = value;

    public override Node Clone()
    {
        var copy = new MapNode();
        foreach (var (key, value) in Entries)
            copy.Entries.Add(key, value.Clone());
        return copy;
    }
}

public sealed class SeqNode : Node
{
    public SeqNode()
    {
    }

    public SeqNode(IEnumerable<Node> items) => Items.AddRange(items);

    public List<Node> Items { get; } = [];

    public override Node Clone() => new SeqNode(Items.Select(i => i.Clone()));
}

/// <summary>
/// A scalar and how it was written: a plain scalar follows YAML's core schema (<c>80</c> is a number, <c>true</c> a
/// boolean, <c>~</c> null), a quoted one is always a string. Compose's output keeps that distinction.
/// </summary>
public sealed class ScalarNode(string value, bool quoted = false) : Node
{
    public string Value { get; } = value;
    public bool Quoted { get; } = quoted;

    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";

    public static ScalarNode Null => new("null");

    public static ScalarNode String(string value) => new(value, quoted: true);

    public static ScalarNode Bool(bool value) => new(value ? "true" : "false");

    public static ScalarNode Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override Node Clone() => this;

    public override string ToString() => Value;
}
