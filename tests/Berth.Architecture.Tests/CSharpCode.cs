using System.Text;

namespace Berth.Architecture.Tests;

/// <summary>
/// C# source with its comments and the text of its string and char literals blanked out (newlines kept, so line
/// numbers still hold). The code inside an interpolated string's holes is kept: <c>$"{Berth.X.Y.Name}"</c> uses Berth.X.
/// A lexer, not a parser: enough to tell a namespace written in code from one mentioned in prose.
/// </summary>
internal static class CSharpCode
{
    public static string Blank(string source)
    {
        var output = new StringBuilder(source.Length);
        var i = 0;
        ScanCode(source, ref i, output, stopAtBrace: false);
        return output.ToString();
    }

    /// <summary>Copies code until the end (or, in an interpolation hole, the '}' that closes it), blanking what is not code.</summary>
    private static void ScanCode(string s, ref int i, StringBuilder output, bool stopAtBrace)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && At(s, i + 1, '/'))
            {
                while (i < s.Length && s[i] != '\n') Blank(output, s[i++]);
            }
            else if (c == '/' && At(s, i + 1, '*'))
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                while (i < end) Blank(output, s[i++]);
            }
            else if (c == '\'')
            {
                output.Append(s[i++]);
                while (i < s.Length && s[i] != '\'' && s[i] != '\n')
                {
                    if (s[i] == '\\' && i + 1 < s.Length) Blank(output, s[i++]);
                    Blank(output, s[i++]);
                }
                if (i < s.Length) output.Append(s[i++]);
            }
            else if (c is '"' or '$' or '@' && StringStart(s, i) is { } start)
            {
                ScanString(s, ref i, output, start);
            }
            else
            {
                if (stopAtBrace && c == '{') depth++;
                if (stopAtBrace && c == '}' && depth-- == 0) return;
                output.Append(c);
                i++;
            }
        }
    }

    private readonly record struct Prefix(int Length, bool Interpolated, bool Verbatim, int Quotes);

    /// <summary>The prefix of the string literal that starts at <paramref name="i"/> (<c>$</c>, <c>@</c> and the quotes), or null.</summary>
    private static Prefix? StringStart(string s, int i)
    {
        var j = i;
        var dollars = 0;
        var verbatim = false;
        while (j < s.Length && (s[j] == '$' || s[j] == '@'))
        {
            if (s[j] == '$') dollars++;
            else verbatim = true;
            j++;
        }
        if (!At(s, j, '"')) return null;
        var quotes = 0;
        while (At(s, j + quotes, '"')) quotes++;
        // "" is an empty string, """ or more opens a raw string.
        quotes = quotes >= 3 ? quotes : 1;
        return new Prefix(j - i + quotes, dollars > 0, verbatim, quotes);
    }

    private static void ScanString(string s, ref int i, StringBuilder output, Prefix prefix)
    {
        for (var k = 0; k < prefix.Length; k++) output.Append(s[i++]);
        var closing = new string('"', prefix.Quotes);
        while (i < s.Length)
        {
            if (prefix.Quotes >= 3)
            {
                // Raw strings: their holes ($$"""{{…}}""") are rare enough to be blanked with the text.
                if (string.CompareOrdinal(s, i, closing, 0, closing.Length) == 0)
                {
                    for (var k = 0; k < closing.Length; k++) output.Append(s[i++]);
                    return;
                }
                Blank(output, s[i++]);
            }
            else if (s[i] == '"' && prefix.Verbatim && At(s, i + 1, '"'))
            {
                Blank(output, s[i++]);
                Blank(output, s[i++]);
            }
            else if (s[i] == '"')
            {
                output.Append(s[i++]);
                return;
            }
            else if (s[i] == '\\' && !prefix.Verbatim && i + 1 < s.Length)
            {
                Blank(output, s[i++]);
                Blank(output, s[i++]);
            }
            else if (prefix.Interpolated && s[i] == '{' && At(s, i + 1, '{'))
            {
                Blank(output, s[i++]);
                Blank(output, s[i++]);
            }
            else if (prefix.Interpolated && s[i] == '{')
            {
                output.Append(s[i++]);
                ScanCode(s, ref i, output, stopAtBrace: true);
                if (i < s.Length) output.Append(s[i++]);
            }
            else if (s[i] == '\n' && !prefix.Verbatim)
            {
                return; // an unterminated regular string: resynchronise on the next line
            }
            else
            {
                Blank(output, s[i++]);
            }
        }
    }

    private static bool At(string s, int i, char c) => i < s.Length && s[i] == c;

    private static void Blank(StringBuilder output, char c) => output.Append(c == '\n' ? '\n' : ' ');
}
