using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// The lexical pieces of one logical line, as BuildKit's parser cuts them: the keyword, the leading <c>--flags</c>
/// (quotes and escapes removed), and the rest, read as a JSON array, whitespace-separated words or shell words.
/// </summary>
internal static partial class CommandSplitter
{
    public static (string Keyword, List<string> Flags, string Arguments) Split(string line, char escape)
    {
        var parts = Whitespace().Split(line.Trim(), 2);
        if (parts.Length < 2)
        {
            return (parts[0], [], "");
        }
        var (rest, flags) = ExtractFlags(parts[1], escape);
        return (parts[0], flags, rest.Trim());
    }

    /// <summary>True when the line is a RUN, COPY or ADD (or an ONBUILD of one) in shell form: only those take heredocs.</summary>
    public static bool CanContainHeredoc(string line, char escape)
    {
        var (keyword, _, rest) = Split(line, escape);
        if (keyword.Equals("ONBUILD", StringComparison.OrdinalIgnoreCase) && rest.Length > 0)
        {
            (keyword, _, rest) = Split(rest, escape);
        }
        return keyword.ToUpperInvariant() is "RUN" or "COPY" or "ADD" && TryParseJson(rest) is null;
    }

    /// <summary>The <c>--name[=value]</c> words opening <paramref name="line"/>, and the text after them (<c>--</c> alone ends them).</summary>
    private static (string Remainder, List<string> Flags) ExtractFlags(string line, char escape)
    {
        var flags = new List<string>();
        var pos = 0;
        while (true)
        {
            while (pos < line.Length && char.IsWhiteSpace(line[pos]))
            {
                pos++;
            }
            if (pos == line.Length)
            {
                return ("", flags);
            }
            if (!line.AsSpan(pos).StartsWith("--"))
            {
                return (line[pos..], flags);
            }
            var (word, end, quoted) = ReadFlagWord(line, pos, escape);
            if (word == "--" && end < line.Length)
            {
                return (line[end..], flags);
            }
            if (word != "--" && (quoted || word.Length > 0))
            {
                flags.Add(word);
            }
            pos = end;
        }
    }

    private static (string Word, int End, bool Quoted) ReadFlagWord(string line, int pos, char escape)
    {
        var word = new StringBuilder();
        var quoted = false;
        char quote = '\0';
        for (; pos < line.Length; pos++)
        {
            var ch = line[pos];
            if (quote == '\0' && char.IsWhiteSpace(ch))
            {
                break;
            }
            if (quote == '\0' && ch is '\'' or '"')
            {
                quote = ch;
                quoted = true;
                continue;
            }
            if (quote != '\0' && ch == quote)
            {
                quote = '\0';
                continue;
            }
            if (ch == escape)
            {
                if (pos + 1 == line.Length)
                {
                    continue;
                }
                ch = line[++pos];
            }
            word.Append(ch);
        }
        return (word.ToString(), pos, quoted);
    }

    /// <summary>
    /// Words separated by blanks, quotes and escapes kept in them (they are removed when the word is expanded): the
    /// arguments of ENV, LABEL and ARG.
    /// </summary>
    public static List<string> ParseWords(string rest, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var blankOk = false;
        char quote = '\0';
        for (var pos = 0; pos < rest.Length; pos++)
        {
            var ch = rest[pos];
            if (quote == '\0')
            {
                if (char.IsWhiteSpace(ch))
                {
                    if (inWord && (blankOk || word.Length > 0))
                    {
                        words.Add(word.ToString());
                    }
                    word.Clear();
                    inWord = blankOk = false;
                    continue;
                }
                inWord = true;
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                }
                else if (ch == escape)
                {
                    if (pos + 1 == rest.Length)
                    {
                        continue;
                    }
                    word.Append(ch);
                    ch = rest[++pos];
                }
                word.Append(ch);
                continue;
            }
            if (ch == quote)
            {
                quote = '\0';
            }
            else if (ch == escape && quote != '\'')
            {
                if (pos + 1 == rest.Length)
                {
                    quote = '\0';
                    continue;
                }
                word.Append(ch);
                ch = rest[++pos];
            }
            word.Append(ch);
        }
        if (inWord && (blankOk || word.Length > 0))
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>Whitespace-separated words, nothing removed (FROM, EXPOSE, and the shell form of COPY, ADD, VOLUME).</summary>
    public static List<string> SplitWhitespace(string rest, int count = int.MaxValue) =>
        rest.Length == 0 ? [] : [.. Whitespace().Split(rest, count)];

    /// <summary>
    /// The strings of a JSON array (the exec form), or null when <paramref name="rest"/> is not one: Docker then takes
    /// the shell form. An array holding anything but strings is an error, not a shell form.
    /// </summary>
    public static List<string>? TryParseJson(string rest)
    {
        rest = rest.TrimStart();
        if (!rest.StartsWith('['))
        {
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(rest);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var strings = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    throw new DockerfileException(0, "when using JSON array syntax, arrays must be comprised of strings only", isSyntaxError: true);
                }
                strings.Add(element.GetString()!);
            }
            return strings;
        }
    }

    [GeneratedRegex("[\t\v\f\r ]+")]
    private static partial Regex Whitespace();
}
