namespace Berth.Cli.Cli;

/// <summary>
/// The flag table of a help text, laid out as pflag's <c>FlagUsagesWrapped</c> lays it out for docker: names and
/// value types in a column as wide as the widest, usages wrapped at the terminal's width (80 when stdin is no
/// terminal) with short final words allowed to run a little over.
/// </summary>
internal static class FlagUsages
{
    public const int DefaultWidth = 80;

    /// <summary>The visible flags sorted by name, one entry per flag, lines wrapped before <paramref name="columns"/>.</summary>
    public static string Wrapped(IEnumerable<Flag> flags, int columns)
    {
        var entries = flags.Where(f => !f.Hidden).OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => (Left: Left(f), Usage: f.Usage + (f.DefaultText is { } d ? $" (default {d})" : "")))
            .ToList();
        if (entries.Count == 0)
            return "";
        // pflag measures each left part with a one-character separator after it; the usage starts two columns on.
        var width = entries.Max(e => e.Left.Length) + 1;
        var text = new System.Text.StringBuilder();
        foreach (var (left, usage) in entries)
            text.Append(left).Append(' ').Append(' ', width - left.Length).Append(' ').Append(Wrap(width + 2, columns, usage)).Append('\n');
        return text.ToString();
    }

    private static string Left(Flag flag)
    {
        var names = flag.Shorthand is { } s ? $"  -{s}, --{flag.Name}" : $"      --{flag.Name}";
        return flag.IsBool ? names : $"{names} {flag.ValueType}";
    }

    /// <summary><paramref name="text"/> wrapped to <paramref name="width"/>, continuation lines indented by <paramref name="indent"/>.</summary>
    private static string Wrap(int indent, int width, string text)
    {
        var available = width - indent;
        var result = "";
        if (available < 24)
        {
            // No room beside the names: the whole usage goes under them, from column 16.
            indent = 16;
            available = width - indent;
            result = "\n" + new string(' ', indent);
        }
        if (available < 24)
            return text.Replace("\n", result, StringComparison.Ordinal);
        const int slop = 5;
        available -= slop;
        var pad = "\n" + new string(' ', indent);
        var (line, rest) = Split(available, slop, text);
        result += line.Replace("\n", pad, StringComparison.Ordinal);
        while (rest.Length > 0)
        {
            (line, rest) = Split(available, slop, rest);
            result += pad + line.Replace("\n", pad, StringComparison.Ordinal);
        }
        return result;
    }

    /// <summary>The first line of at most <paramref name="at"/> characters (or all of it when it fits with the slop), and the rest.</summary>
    private static (string Line, string Remainder) Split(int at, int slop, string text)
    {
        if (at + slop > text.Length)
            return (text, "");
        var head = text[..at];
        var space = head.LastIndexOfAny([' ', '\t', '\n']);
        if (space <= 0)
            return (text, "");
        var newline = head.LastIndexOf('\n');
        if (newline > 0 && newline < space)
            return (text[..newline], text[(newline + 1)..]);
        return (text[..space], text[(space + 1)..]);
    }
}
