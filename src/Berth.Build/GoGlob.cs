using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Build;

/// <summary>
/// Go's <c>filepath.Match</c>, which COPY and ADD sources use: <c>*</c> and <c>?</c> never match <c>/</c>, <c>[…]</c>
/// classes (<c>^</c> negates, ranges), <c>\</c> escapes. A malformed pattern matches nothing.
/// </summary>
public static class GoGlob
{
    public static bool HasMeta(string pattern) => pattern.IndexOfAny(['*', '?', '[', '\\']) >= 0;

    public static bool IsMatch(string pattern, string name) => ToRegex(pattern) is { } regex && regex.IsMatch(name);

    public static Regex? ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': regex.Append("[^/]*"); break;
                case '?': regex.Append("[^/]"); break;
                case '\\':
                    if (++i >= pattern.Length) return null;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 2);
                    if (end < 0) return null;
                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('^');
                    if (negate) body = body[1..];
                    regex.Append(negate ? "[^/" : "[").Append(body.Replace("\\", "\\\\").Replace("[", "\\[")).Append(']');
                    i = end;
                    break;
                default: regex.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
