using System.Text;
using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// Compose's variable substitution in every scalar value (never in keys): <c>$VAR</c>, <c>${VAR}</c>,
/// <c>${VAR:-default}</c> (unset or empty), <c>${VAR-default}</c> (unset), <c>${VAR:?error}</c>, <c>${VAR?error}</c>,
/// <c>${VAR:+alt}</c>, <c>${VAR+alt}</c>, defaults that hold substitutions themselves, and <c>$$</c> for a literal
/// <c>$</c>. A variable that is unset and has no default becomes empty, with compose's warning.
/// </summary>
public sealed class Interpolation(Func<string, string?> lookup, Action<string> warn)
{
    /// <summary>The tree with each scalar substituted; a plain scalar stays plain, so <c>${PORT}</c> may become a number.</summary>
    public Node Apply(Node node, string file, string path) => node switch
    {
        MapNode map => ApplyMap(map, file, path),
        SeqNode seq => new SeqNode(seq.Items.Select(i => Apply(i, file, path + ".[]"))),
        ScalarNode { Value: var v } s when v.Contains('$') => new ScalarNode(Substitute(v, file, path), s.Quoted),
        _ => node,
    };

    private MapNode ApplyMap(MapNode map, string file, string path)
    {
        var copy = new MapNode();
        foreach (var (key, value) in map.Entries)
            copy.Entries.Add(key, Apply(value, file, path.Length == 0 ? key : path + "." + key));
        return copy;
    }

    /// <summary>One string substituted.</summary>
    /// <exception cref="ComposeException">A malformed substitution, or a required variable that is missing.</exception>
    public string Substitute(string text, string file, string path)
    {
        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var dollar = text.IndexOf('$', i);
            if (dollar < 0)
            {
                output.Append(text, i, text.Length - i);
                break;
            }
            output.Append(text, i, dollar - i);
            i = SubstituteAt(text, dollar, output, file, path);
        }
        return output.ToString();
    }

    /// <summary>Substitutes the expression that starts with the <c>$</c> at <paramref name="at"/>; returns where the text goes on.</summary>
    private int SubstituteAt(string text, int at, StringBuilder output, string file, string path)
    {
        var next = at + 1 < text.Length ? text[at + 1] : '\0';
        if (next == '$')
        {
            output.Append('$');
            return at + 2;
        }
        if (next == '{')
        {
            var close = MatchingBrace(text, at + 2) ?? throw Invalid(text, file, path);
            output.Append(Braced(text[(at + 2)..close], text, file, path));
            return close + 1;
        }
        var end = at + 1;
        while (end < text.Length && IsNameChar(text[end], end == at + 1))
            end++;
        if (end == at + 1)
        {
            // A lone '$' (before a space, a digit, the end) is not a substitution: compose keeps it.
            output.Append('$');
            return at + 1;
        }
        output.Append(Value(text[(at + 1)..end]));
        return end;
    }

    private string Braced(string body, string whole, string file, string path)
    {
        var nameEnd = 0;
        while (nameEnd < body.Length && IsNameChar(body[nameEnd], nameEnd == 0))
            nameEnd++;
        if (nameEnd == 0)
            throw Invalid(whole, file, path);
        var name = body[..nameEnd];
        var op = body[nameEnd..];
        if (op.Length == 0)
            return Value(name);
        var colon = op[0] == ':';
        var kind = colon ? (op.Length > 1 ? op[1] : '\0') : op[0];
        var argument = op[(colon ? 2 : 1)..];
        var value = lookup(name);
        var missing = value is null || colon && value.Length == 0;
        return kind switch
        {
            '-' => missing ? Substitute(argument, file, path) : value!,
            '+' => missing ? "" : Substitute(argument, file, path),
            '?' => missing
                ? throw new ComposeException(file, path, argument.Length == 0
                    ? $"required variable {name} is missing a value"
                    : $"required variable {name} is missing a value: {Substitute(argument, file, path)}")
                : value!,
            _ => throw Invalid(whole, file, path),
        };
    }

    private string Value(string name)
    {
        if (lookup(name) is { } value)
            return value;
        warn($"The \"{name}\" variable is not set. Defaulting to a blank string.");
        return "";
    }

    /// <summary>The index of the '}' that closes the '{' before <paramref name="start"/>, counting nested <c>${…}</c>.</summary>
    private static int? MatchingBrace(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (text[i] == '}' && depth-- == 0)
                return i;
        }
        return null;
    }

    private static bool IsNameChar(char c, bool first) => c == '_' || char.IsAsciiLetter(c) || !first && char.IsAsciiDigit(c);

    private static ComposeException Invalid(string text, string file, string path) =>
        new(file, path, $"invalid interpolation format for {path}.\nYou may need to escape any $ with another $.\n{text}");
}
