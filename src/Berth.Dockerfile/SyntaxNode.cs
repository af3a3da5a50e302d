namespace Berth.Dockerfile;

/// <summary>
/// A logical line cut into its keyword, flags and arguments by the rule of its keyword, before the instruction is
/// checked: BuildKit's parser stage. <see cref="Args"/> holds, per keyword: the JSON strings or one shell-form string
/// (RUN, CMD, ENTRYPOINT, SHELL), JSON strings or whitespace words (ADD, COPY, VOLUME), whitespace words (FROM,
/// EXPOSE), the whole rest (MAINTAINER, STOPSIGNAL, USER, WORKDIR), shell words (ARG), key, value, key, value… (ENV,
/// LABEL), the type then the command (HEALTHCHECK); ONBUILD has its trigger in <see cref="Trigger"/>.
/// </summary>
internal sealed record SyntaxNode(
    string Keyword, IReadOnlyList<string> Flags, IReadOnlyList<string> Args, bool Json, string Original,
    int Line, IReadOnlyList<Heredoc> Heredocs, SyntaxNode? Trigger)
{
    public static SyntaxNode FromLine(LogicalLine line, char escape) => Create(line.Text, line.StartLine, line.Heredocs, escape);

    private static SyntaxNode Create(string text, int lineNumber, IReadOnlyList<Heredoc> heredocs, char escape)
    {
        var (keyword, flags, rest) = CommandSplitter.Split(text, escape);
        try
        {
            var (args, json, trigger) = keyword.ToLowerInvariant() switch
            {
                "add" or "copy" or "volume" => JsonOrWords(rest),
                "run" or "cmd" or "entrypoint" or "shell" => JsonOrShell(rest),
                "from" or "expose" => (CommandSplitter.SplitWhitespace(rest), false, null),
                "maintainer" or "stopsignal" or "user" or "workdir" => (rest.Length == 0 ? [] : [rest], false, null),
                "arg" => (CommandSplitter.ParseWords(rest, escape), false, null),
                "env" => (KeyValues(rest, "ENV", escape), false, null),
                "label" => (KeyValues(rest, "LABEL", escape), false, null),
                "healthcheck" => Healthcheck(rest),
                "onbuild" => ([], false, rest.Length == 0 ? null : Create(rest, lineNumber, heredocs, escape)),
                _ => ((List<string>)[], false, (SyntaxNode?)null),
            };
            return new SyntaxNode(keyword, flags, args, json, text.Trim(), lineNumber, heredocs, trigger);
        }
        catch (DockerfileException e) when (e.Line == 0)
        {
            throw new DockerfileException(lineNumber, e.Message, e.IsSyntaxError);
        }
    }

    private static (List<string>, bool, SyntaxNode?) JsonOrWords(string rest) =>
        CommandSplitter.TryParseJson(rest) is { } json ? (json, true, null) : (CommandSplitter.SplitWhitespace(rest), false, null);

    private static (List<string>, bool, SyntaxNode?) JsonOrShell(string rest)
    {
        if (rest.Length == 0)
        {
            return ([], false, null);
        }
        return CommandSplitter.TryParseJson(rest) is { } json ? (json, true, null) : ([rest], false, null);
    }

    private static (List<string>, bool, SyntaxNode?) Healthcheck(string rest)
    {
        var end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
        {
            end++;
        }
        if (end == 0)
        {
            return ([], false, null);
        }
        var (command, json, _) = JsonOrShell(rest[end..].TrimStart());
        return ([rest[..end], .. command], json, null);
    }

    /// <summary>
    /// <c>KEY value with spaces</c> (the legacy single pair, when the first word has no <c>=</c>) or
    /// <c>k=v k2="v 2"</c>; values keep their quotes, the expansion removes them.
    /// </summary>
    private static List<string> KeyValues(string rest, string keyword, char escape)
    {
        var words = CommandSplitter.ParseWords(rest, escape);
        if (words.Count == 0)
        {
            return [];
        }
        if (!words[0].Contains('='))
        {
            var parts = CommandSplitter.SplitWhitespace(rest, 2);
            if (parts.Count < 2)
            {
                throw new DockerfileException(0, $"{keyword} must have two arguments", isSyntaxError: true);
            }
            return parts;
        }
        var pairs = new List<string>();
        foreach (var word in words)
        {
            var equals = word.IndexOf('=');
            if (equals < 0)
            {
                throw new DockerfileException(0, $"Syntax error - can't find = in \"{word}\". Must be of the form: name=value", isSyntaxError: true);
            }
            pairs.Add(word[..equals]);
            pairs.Add(word[(equals + 1)..]);
        }
        return pairs;
    }
}
