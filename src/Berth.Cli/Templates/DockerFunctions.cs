using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// The functions docker adds to every <c>--format</c> template (json, split, join, title,
/// lower, upper, pad, truncate), and the identity variants it renders table headers with.
/// </summary>
internal static class DockerFunctions
{
    public static readonly TemplateFunction[] All =
    [
        new("json", 1, 1, args => GoJson.Encode(args[0])),
        new("split", 2, 2, args => Functions.String(args, 0).Split(Functions.String(args, 1)).Cast<object?>().ToList()),
        new("join", 2, 2, args => Join(args[0], Functions.String(args, 1))),
        new("title", 1, 1, args => Title(Functions.String(args, 0))),
        new("lower", 1, 1, args => Functions.String(args, 0).ToLowerInvariant()),
        new("upper", 1, 1, args => Functions.String(args, 0).ToUpperInvariant()),
        new("pad", 3, 3, args => Pad(Functions.String(args, 0), Functions.Int(args, 1), Functions.Int(args, 2))),
        new("truncate", 2, 2, args => Truncate(Functions.String(args, 0), Functions.Int(args, 1))),
    ];

    /// <summary>
    /// Used for the header row of a table: the header text goes through unchanged, so
    /// <c>{{upper .Name}}</c> still heads its column NAME. pad is kept, to keep the alignment.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<object?>, object?>> HeaderFunctions =
        new[] { "json", "split", "join", "title", "lower", "upper", "truncate" }
            .ToDictionary(name => name, _ => (Func<IReadOnlyList<object?>, object?>)(args => args.Count > 0 ? args[0] : ""));

    /// <summary>strings.Join; docker's lists are []string, here any list prints its items.</summary>
    private static string Join(object? list, string separator)
    {
        if (list is null or NoValue)
            return "";
        if (!Values.IsList(list))
            throw Functions.WrongType("[]string", list, 0);
        return string.Join(separator, Values.Items(list).Select(item => item as string ?? GoFormat.Value(item)));
    }

    /// <summary>strings.Title: the first letter of each word upper-cased.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousIsSeparator = true;
        foreach (var c in s)
        {
            sb.Append(previousIsSeparator ? char.ToUpperInvariant(c) : c);
            previousIsSeparator = IsSeparator(c);
        }
        return sb.ToString();
    }

    private static bool IsSeparator(char c)
    {
        if (c < 0x80)
            return !(char.IsAsciiLetterOrDigit(c) || c == '_');
        return !char.IsLetterOrDigit(c) && char.IsWhiteSpace(c);
    }

    private static string Pad(string s, int before, int after) =>
        s.Length == 0 ? s : new string(' ', Math.Max(before, 0)) + s + new string(' ', Math.Max(after, 0));

    /// <summary>Keeps the first n bytes, as Go slices a string.</summary>
    private static string Truncate(string s, int length)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        return bytes.Length < length ? s : Encoding.UTF8.GetString(bytes, 0, Math.Max(length, 0));
    }
}
