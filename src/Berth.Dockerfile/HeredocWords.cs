using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// Finds the heredocs a line opens (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-EOF</c>, <c>&lt;&lt;"EOF"</c>…) as BuildKit does:
/// the line is split into shell words keeping quotes and escapes, and each word of the form <c>&lt;&lt;[-]WORD</c> names
/// one. A delimiter with any quoted part means the body is not expanded. BuildKit reads these words with a backslash
/// escape whatever the file's escape token.
/// </summary>
internal static partial class HeredocWords
{
    private static readonly IReadOnlyDictionary<string, string> NoVariables = new Dictionary<string, string>();

    public static IEnumerable<Heredoc> FromLine(string line, int lineNumber)
    {
        List<string> words;
        try
        {
            words = ShellWord.Process(line, new ShellWordOptions('\\', RawQuotes: true, RawEscapes: true, SkipUnsetEnv: true), NoVariables).Words;
        }
        catch (ShellWordException)
        {
            yield break;
        }
        foreach (var word in words)
        {
            if (Parse(word, lineNumber) is { } heredoc)
            {
                yield return heredoc;
            }
        }
    }

    /// <summary>The heredoc a word opens, or null when it is not one (a COPY source or destination is checked this way).</summary>
    public static Heredoc? Parse(string word, int lineNumber)
    {
        var match = HeredocPattern().Match(word);
        var rest = match.Success ? match.Groups[3].Value : "";
        if (rest.Length == 0)
        {
            return null;
        }
        try
        {
            var plain = ShellWord.Process(rest, new ShellWordOptions('\\', SkipUnsetEnv: true), NoVariables).Words;
            if (plain.Count != 1)
            {
                return null;
            }
            var raw = ShellWord.Process(rest, new ShellWordOptions('\\', RawQuotes: true, SkipUnsetEnv: true), NoVariables).Words;
            var expand = QuoteCount(plain[0]) == QuoteCount(raw[0]);
            return new Heredoc(plain[0], "", expand, StripTabs: match.Groups[2].Value == "-");
        }
        catch (ShellWordException e)
        {
            throw new DockerfileException(lineNumber, e.Message, isSyntaxError: true);
        }
    }

    private static int QuoteCount(string word) => word.Count(c => c is '\'' or '"');

    [GeneratedRegex(@"^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)$")]
    private static partial Regex HeredocPattern();
}
