using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// Parser directives (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>): recognised only in the comment lines that
/// open the file, before any instruction, blank line or other comment; names are case-insensitive and each may
/// appear once. An unknown name ends the directives (the line is then a plain comment).
/// </summary>
internal sealed partial class ParserDirectives
{
    private static readonly string[] Known = ["syntax", "escape", "check"];

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private bool _done;

    /// <summary>Directives to read at the top of a file.</summary>
    public ParserDirectives()
    {
    }

    /// <summary>No directives: one instruction parsed on its own (an ONBUILD trigger) with its file's escape token.</summary>
    public ParserDirectives(char escapeToken)
    {
        EscapeToken = escapeToken;
        _done = true;
    }

    /// <summary>The escape token set by <c># escape=</c>, or the default backslash.</summary>
    public char EscapeToken { get; private set; } = '\\';

    /// <summary>Looks at one line (newline and leading blanks removed); true when it was a directive.</summary>
    public bool TryRead(string line, int lineNumber)
    {
        if (_done)
        {
            return false;
        }
        if (!line.StartsWith('#'))
        {
            _done = true;
            return false;
        }
        var match = DirectivePattern().Match(line[1..].TrimStart());
        var name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (!Known.Contains(name))
        {
            _done = true;
            return false;
        }
        if (!_seen.Add(name))
        {
            throw new DockerfileException(lineNumber, $"only one {name} parser directive can be used", isSyntaxError: true);
        }
        var value = match.Groups[2].Value;
        if (name == "escape")
        {
            if (value is not ("`" or "\\"))
            {
                throw new DockerfileException(lineNumber, $"invalid escape token '{value}' does not match ` or \\", isSyntaxError: true);
            }
            EscapeToken = value[0];
        }
        return true;
    }

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectivePattern();
}
