using System.Text;

namespace Berth.Compose.Loading;

/// <summary>
/// The <c>.env</c> and <c>env_file</c> format as Compose reads it: <c>KEY=VALUE</c> lines, an optional <c>export</c>
/// prefix, <c>#</c> comments (inline only after a space in an unquoted value), single quotes literal, double quotes
/// with <c>\n</c>-style escapes and substitution, unquoted values trimmed and substituted. A bare <c>KEY</c> takes
/// its value from <paramref name="lookup"/>, or is left out when that has none.
/// </summary>
public static class DotEnv
{
    public static OrderedDictionary<string, string> Parse(string text, string file, Func<string, string?> lookup)
    {
        var values = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        // Later lines see the earlier ones, before the environment, as compose's dotenv does.
        string? Resolve(string name) => values.TryGetValue(name, out var v) ? v : lookup(name);
        var interpolation = new Interpolation(Resolve, _ => { });
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimStart();
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (line.StartsWith("export ", StringComparison.Ordinal))
                line = line[7..].TrimStart();
            var eq = line.IndexOf('=');
            var key = (eq < 0 ? line : line[..eq]).Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
                throw new ComposeException(file, "", $"line {n + 1}: unexpected character in variable name \"{key}\"");
            if (eq < 0)
            {
                if (lookup(key) is { } inherited)
                    values[key] = inherited;
                continue;
            }
            values[key] = Value(lines, ref n, line[(eq + 1)..].TrimStart(), file, interpolation);
        }
        return values;
    }

    private static string Value(string[] lines, ref int n, string raw, string file, Interpolation interpolation)
    {
        if (raw.Length > 0 && raw[0] is '\'' or '"')
        {
            var quote = raw[0];
            var body = new StringBuilder(raw[1..]);
            int close;
            // A quoted value may span lines until its closing quote.
            while ((close = ClosingQuote(body, quote)) < 0 && n + 1 < lines.Length)
                body.Append('\n').Append(lines[++n]);
            if (close < 0)
                throw new ComposeException(file, "", $"line {n + 1}: unterminated quoted value");
            var inner = body.ToString(0, close);
            return quote == '\'' ? inner : interpolation.Substitute(Unescape(inner), file, "");
        }
        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        var value = (comment >= 0 ? raw[..comment] : raw).Trim();
        return interpolation.Substitute(value, file, "");
    }

    private static int ClosingQuote(StringBuilder body, char quote)
    {
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\\' && quote == '"')
                i++;
            else if (body[i] == quote)
                return i;
        }
        return -1;
    }

    private static string Unescape(string value)
    {
        var output = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 == value.Length)
            {
                output.Append(value[i]);
                continue;
            }
            var c = value[++i];
            output.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => c });
        }
        return output.ToString();
    }
}
