using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// One <c>.dockerignore</c> pattern compiled as moby/patternmatcher does: a plain path matches exactly, <c>dir/**</c>
/// by prefix, <c>**/name</c> by suffix, anything else through a regular expression.
/// </summary>
internal sealed class IgnorePattern
{
    private enum Kind { Exact, Prefix, Suffix, Regex }

    private readonly Kind _kind;
    private readonly Regex? _regex;

    public IgnorePattern(string pattern, bool isException)
    {
        Pattern = pattern;
        IsException = isException;
        (_kind, var regex) = Compile(pattern);
        try
        {
            _regex = regex is null ? null : new Regex(regex, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            throw new FormatException("syntax error in pattern");
        }
    }

    public string Pattern { get; }

    public bool IsException { get; }

    public bool Matches(string path) => _kind switch
    {
        Kind.Exact => path == Pattern,
        Kind.Prefix => path.StartsWith(Pattern[..^2], StringComparison.Ordinal),
        Kind.Suffix => path.EndsWith(Pattern[2..], StringComparison.Ordinal) || (Pattern[2] == '/' && path == Pattern[3..]),
        _ => _regex!.IsMatch(path),
    };

    public override string ToString() => IsException ? "!" + Pattern : Pattern;

    private static (Kind Kind, string? Regex) Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = Kind.Exact;
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var start = i == 0;
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                }
                if (i + 1 == pattern.Length)
                {
                    // "**" at the end: everything below, as .gitignore has it.
                    kind = kind == Kind.Exact ? Kind.Prefix : Kind.Regex;
                    regex.Append(".*");
                }
                else
                {
                    regex.Append("(.*/)?");
                    kind = Kind.Regex;
                }
                if (start)
                {
                    kind = Kind.Suffix;
                }
            }
            else if (ch == '*')
            {
                regex.Append("[^/]*");
                kind = Kind.Regex;
            }
            else if (ch == '?')
            {
                regex.Append("[^/]");
                kind = Kind.Regex;
            }
            else if (ch is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$')
            {
                regex.Append('\\').Append(ch);
            }
            else if (ch == '\\')
            {
                if (i + 1 < pattern.Length)
                {
                    regex.Append('\\').Append(pattern[++i]);
                    kind = Kind.Regex;
                }
                else
                {
                    regex.Append(@"\\");
                }
            }
            else if (ch is '[' or ']')
            {
                regex.Append(ch);
                kind = Kind.Regex;
            }
            else
            {
                regex.Append(ch);
            }
        }
        return (kind, kind == Kind.Regex ? regex.Append(@"\z").ToString() : null);
    }
}
