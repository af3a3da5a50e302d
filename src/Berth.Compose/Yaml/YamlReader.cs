using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Compose.Yaml;

/// <summary>
/// Reads one YAML document into <see cref="Node"/>s with YamlDotNet's event parser (no reflection, so it survives
/// NativeAOT trimming): anchors and aliases resolved, merge keys (<c>&lt;&lt;: *base</c> or a list of them) applied
/// with the mapping's own keys winning, as YAML 1.1's merge type says.
/// </summary>
public static class YamlReader
{
    /// <summary>The document's root, or an empty mapping for an empty file.</summary>
    /// <exception cref="ComposeException">The YAML is malformed (with its line and column).</exception>
    public static Node Read(string text, string file)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
                return new MapNode();
            parser.Consume<DocumentStart>();
            var anchors = new Dictionary<string, Node>(StringComparer.Ordinal);
            var root = ReadNode(parser, anchors, file);
            parser.Consume<DocumentEnd>();
            return root is ScalarNode { IsNull: true } ? new MapNode() : root;
        }
        catch (YamlException e)
        {
            throw new ComposeException(file, "", $"yaml: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
    }

    private static Node ReadNode(IParser parser, Dictionary<string, Node> anchors, string file)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target.Clone()
                : throw new ComposeException(file, "", $"yaml: unknown anchor '{alias.Value.Value}' referenced");
        Node node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            node = new ScalarNode(scalar.Value, quoted: scalar.Style is not ScalarStyle.Plain || scalar.Tag is { IsEmpty: false, IsNonSpecific: false } && scalar.Tag.Value == "tag:yaml.org,2002:str");
        }
        else if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            anchor = sequence.Anchor;
            var seq = new SeqNode();
            while (!parser.TryConsume<SequenceEnd>(out _))
                seq.Items.Add(ReadNode(parser, anchors, file));
            node = seq;
        }
        else
        {
            var mapping = parser.Consume<MappingStart>();
            anchor = mapping.Anchor;
            node = ReadMapping(parser, anchors, file);
        }
        if (!anchor.IsEmpty)
            anchors[anchor.Value] = node;
        return node;
    }

    private static MapNode ReadMapping(IParser parser, Dictionary<string, Node> anchors, string file)
    {
        var map = new MapNode();
        var merged = new List<MapNode>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadNode(parser, anchors, file) as ScalarNode
                      ?? throw new ComposeException(file, "", "yaml: mapping keys must be scalars");
            var value = ReadNode(parser, anchors, file);
            if (key.Value == "<<" && !key.Quoted)
                merged.AddRange(MergeSources(value, file));
            else if (!map.Entries.TryAdd(key.Value, value))
                throw new ComposeException(file, "", $"yaml: mapping key \"{key.Value}\" already defined");
        }
        // The first source listed wins over later ones, and the mapping's own keys over all of them.
        foreach (var source in merged)
            foreach (var (key, value) in source.Entries)
                map.Entries.TryAdd(key, value.Clone());
        return map;
    }

    private static IEnumerable<MapNode> MergeSources(Node value, string file) => value switch
    {
        MapNode map => [map],
        SeqNode seq when seq.Items.All(i => i is MapNode) => seq.Items.Cast<MapNode>(),
        _ => throw new ComposeException(file, "", "yaml: map merge requires map or sequence of maps as the value"),
    };
}
