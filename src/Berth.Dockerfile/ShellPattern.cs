using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// The shell patterns of <c>${VAR#p}</c>, <c>${VAR%p}</c> and <c>${VAR/p/r}</c> as BuildKit reads them: <c>*</c> any
/// text, <c>?</c> one character, <c>\</c> escapes <c>*</c>, <c>?</c> and itself (no bracket expressions).
/// </summary>
internal static class ShellPattern
{
    public static string TrimPrefix(string pattern, string value, bool greedy)
    {
        var match = ToRegex(pattern, greedy, anchored: true).Match(value);
        return match.Success ? value[(match.Index + match.Length)..] : value;
    }

    /// <summary>A regex finds leftmost matches only: the shortest rightmost one is found on the reversed strings.</summary>
    public static string TrimSuffix(string pattern, string value, bool greedy) =>
        Reverse(TrimPrefix(ReversePattern(pattern), Reverse(value), greedy));

    public static string Replace(string value, string pattern, string replacement, bool all)
    {
        var regex = ToRegex(pattern, greedy: true, anchored: false);
        return all ? regex.Replace(value, _ => replacement) : regex.Replace(value, _ => replacement, 1);
    }

    private static Regex ToRegex(string pattern, bool greedy, bool anchored)
    {
        var regex = new StringBuilder(anchored ? "^" : "");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            switch (ch)
            {
                case '*':
                    regex.Append(greedy ? ".*" : ".*?");
                    continue;
                case '?':
                    regex.Append('.');
                    continue;
                case '\\':
                    // \} and \/ end up here from ${…}: the escape is not part of the pattern.
                    if (i + 1 < pattern.Length && pattern[i + 1] is '}' or '/')
                    {
                        continue;
                    }
                    if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '?' or '\\'))
                    {
                        var bad = i + 1 < pattern.Length ? pattern[i + 1].ToString() : "\uFFFD";
                        throw new ShellWordException($"invalid pattern ({pattern}) in substitution: invalid escape '\\{bad}'");
                    }
                    regex.Append('\\').Append(pattern[++i]);
                    continue;
                case '[' or ']' or '{' or '}' or '.' or '+' or '(' or ')' or '|' or '^' or '$':
                    regex.Append('\\');
                    break;
            }
            regex.Append(ch);
        }
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>Reverses a pattern keeping each escape before the character it escapes (<c>a\*c</c> gives <c>c\*a</c>).</summary>
    private static string ReversePattern(string pattern)
    {
        var result = new char[pattern.Length];
        var last = pattern.Length - 1;
        for (var i = 0; i <= last;)
        {
            var target = last - i;
            if (pattern[i] == '\\' && i != last)
            {
                result[target - 1] = '\\';
                result[target] = pattern[i + 1];
                i += 2;
            }
            else
            {
                result[target] = pattern[i];
                i++;
            }
        }
        return new string(result);
    }

    private static string Reverse(string text)
    {
        var chars = text.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }
}
