namespace Berth.Cli.Cli.Completion;

/// <summary>
/// Reads words the way <see cref="FlagSet.Parse"/> would, without applying anything and without failing on what a
/// half-typed line holds: which flags were given, how many positional arguments, whether the last flag still waits
/// for its value (the word being completed is that value).
/// </summary>
internal sealed record FlagWalk(IReadOnlySet<Flag> Used, Flag? AwaitingValue, bool DashDash, int Positional, int End)
{
    /// <param name="stopAtPositional">Stop at the first positional word (the root's flags; <c>run</c>'s): <see cref="End"/> is its index and every word from there on counts as positional.</param>
    public static FlagWalk Run(FlagSet flags, IReadOnlyList<string> words, bool stopAtPositional)
    {
        var used = new HashSet<Flag>();
        var positional = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word == "--")
                return new FlagWalk(used, null, true, positional + words.Count - i - 1, stopAtPositional ? i + 1 : words.Count);
            if (word.Length > 1 && word[0] == '-')
            {
                var (flag, needsNext) = Identify(flags, word, used);
                if (needsNext)
                {
                    if (i + 1 == words.Count)
                        return new FlagWalk(used, flag, false, positional, words.Count);
                    i++;
                }
                continue;
            }
            if (stopAtPositional)
                return new FlagWalk(used, null, false, words.Count - i, i);
            positional++;
        }
        return new FlagWalk(used, null, false, positional, words.Count);
    }

    public static Flag? FindLong(FlagSet flags, string name) => flags.Flags.FirstOrDefault(f => f.Name == name || f.Aliases.Contains(name));

    /// <summary>
    /// Adds the flags a word names to <paramref name="used"/> (each of combined shorthands, up to one that takes a
    /// value); returns the last and whether its value is the next word.
    /// </summary>
    private static (Flag? Flag, bool NeedsNext) Identify(FlagSet flags, string word, HashSet<Flag> used)
    {
        if (word.StartsWith("--", StringComparison.Ordinal))
        {
            var body = word[2..];
            var eq = body.IndexOf('=');
            var named = FindLong(flags, eq >= 0 ? body[..eq] : body);
            if (named is not null)
                used.Add(named);
            return (named, named is { IsBool: false } && eq < 0);
        }
        Flag? flag = null;
        for (var k = 1; k < word.Length; k++)
        {
            flag = flags.Flags.FirstOrDefault(f => f.Shorthand == word[k]);
            if (flag is null)
                return (null, false);
            used.Add(flag);
            if (!flag.IsBool)
                return (flag, k == word.Length - 1);
        }
        return (flag, false);
    }
}
