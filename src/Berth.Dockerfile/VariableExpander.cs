namespace Berth.Dockerfile;

/// <summary>
/// Docker's variable substitution in Dockerfile words (BuildKit's shell lexer): quotes removed (<c>'…'</c> literal,
/// <c>"…"</c> expanding), <paramref name="escapeToken"/> escaping the next character, <c>$VAR</c>, <c>${VAR}</c>,
/// <c>${VAR:-x}</c> <c>${VAR-x}</c> <c>${VAR:+x}</c> <c>${VAR+x}</c> <c>${VAR:?msg}</c> <c>${VAR?msg}</c>, and the
/// patterns <c>${VAR#p}</c> <c>${VAR##p}</c> <c>${VAR%p}</c> <c>${VAR%%p}</c> <c>${VAR/p/r}</c> <c>${VAR//p/r}</c>.
/// An unset variable expands to nothing. Errors are <see cref="DockerfileException"/>s with line 0: the caller knows
/// the instruction's line.
/// </summary>
public sealed class VariableExpander(char escapeToken)
{
    private readonly ShellWordOptions _options = new(escapeToken);

    /// <summary>One word expanded, spaces kept (ENV values, LABEL values, COPY paths…).</summary>
    public string Expand(string word, IReadOnlyDictionary<string, string> variables) => Run(word, _options, variables).Result;

    /// <summary>
    /// The body of a <c>COPY &lt;&lt;EOF</c> heredoc whose delimiter is unquoted (<see cref="Heredoc.Expand"/>): variables
    /// and backslash escapes as in a word, but quotes are plain text. BuildKit reads these with a backslash whatever
    /// the file's escape token.
    /// </summary>
    public static string ExpandHeredoc(string body, IReadOnlyDictionary<string, string> variables) =>
        Run(body, new ShellWordOptions('\\', LiteralQuotes: true), variables).Result;

    /// <summary>The text expanded then split into words at unquoted blanks (a variable's blanks split too).</summary>
    public IReadOnlyList<string> ExpandWords(string text, IReadOnlyDictionary<string, string> variables) => Run(text, _options, variables).Words;

    private static (string Result, List<string> Words) Run(string text, ShellWordOptions options, IReadOnlyDictionary<string, string> variables)
    {
        try
        {
            return ShellWord.Process(text, options, variables);
        }
        catch (ShellWordException e)
        {
            throw new DockerfileException(0, e.Message);
        }
    }
}
