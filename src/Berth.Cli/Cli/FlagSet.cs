using System.Globalization;

namespace Berth.Cli.Cli;

/// <summary>
/// A flag parser with pflag's rules, as the docker CLI uses them: <c>--name=value</c>, <c>--name value</c>,
/// <c>-abc</c> (combined booleans), <c>-evalue</c>, <c>--</c> ends flags, <c>-</c> is an argument; with
/// <see cref="Interspersed"/> false (run, create, exec) the first argument ends flags.
/// </summary>
internal sealed class FlagSet
{
    private readonly List<Flag> _flags = [];

    /// <summary>Whether flags may follow positional arguments.</summary>
    public bool Interspersed { get; set; } = true;

    public IReadOnlyList<Flag> Flags => _flags;

    public Flag Bool(string name, char? shorthand, string usage, Action<bool> set, string? defaultText = null, bool hidden = false) =>
        Add(new Flag(name, shorthand, usage, isBool: true, hidden,
            value => set(ParseBool(value) ?? throw new FormatException($"strconv.ParseBool: parsing \"{value}\": invalid syntax"))) { DefaultText = defaultText });

    public Flag String(string name, char? shorthand, string usage, Action<string> set, string? defaultText = null, bool hidden = false) =>
        Add(new Flag(name, shorthand, usage, isBool: false, hidden, set) { DefaultText = defaultText });

    /// <summary>A repeatable flag (<c>-e A -e B</c>).</summary>
    public Flag List(string name, char? shorthand, string usage, List<string> target, bool hidden = false, string? defaultText = null) =>
        Add(new Flag(name, shorthand, usage, isBool: false, hidden, target.Add) { ValueType = "list", Repeatable = true, DefaultText = defaultText });

    public Flag Int(string name, char? shorthand, string usage, Action<int> set, string? defaultText = null) =>
        Add(new Flag(name, shorthand, usage, isBool: false, hidden: false, value => set(ParseInt(value))) { ValueType = "int", DefaultText = defaultText });

    public Flag Long(string name, char? shorthand, string usage, Action<long> set, string? defaultText = null) =>
        Add(new Flag(name, shorthand, usage, isBool: false, hidden: false, value => set(ParseLong(value))) { ValueType = "int", DefaultText = defaultText });

    private Flag Add(Flag flag)
    {
        _flags.Add(flag);
        return flag;
    }

    public bool Changed(string name) => Find(name)?.Changed == true;

    private Flag? Find(string name) => _flags.FirstOrDefault(f => f.Name == name || f.Aliases.Contains(name));
    private Flag? FindShort(char c) => _flags.FirstOrDefault(f => f.Shorthand == c);

    /// <summary>Parses <paramref name="args"/>, applying flag values; returns the positional arguments.</summary>
    /// <exception cref="FlagException">pflag's texts: <c>unknown flag: --x</c>, <c>flag needs an argument: --x</c>…</exception>
    public List<string> Parse(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
                i = ParseLong(args, i);
            else if (arg.Length > 1 && arg[0] == '-')
                i = ParseShorts(args, i);
            else
            {
                positional.Add(arg);
                if (!Interspersed)
                {
                    positional.AddRange(args.Skip(i + 1));
                    break;
                }
            }
        }
        return positional;
    }

    private int ParseLong(IReadOnlyList<string> args, int i)
    {
        var body = args[i][2..];
        var eq = body.IndexOf('=');
        var name = eq >= 0 ? body[..eq] : body;
        var flag = Find(name) ?? throw new FlagException($"unknown flag: --{name}");
        if (eq >= 0)
            Apply(flag, body[(eq + 1)..], "--" + name);
        else if (flag.IsBool)
            Apply(flag, "true", "--" + name);
        else if (i + 1 < args.Count)
            Apply(flag, args[++i], "--" + name);
        else
            throw new FlagException($"flag needs an argument: --{name}");
        return i;
    }

    private int ParseShorts(IReadOnlyList<string> args, int i)
    {
        var shorts = args[i][1..];
        for (var k = 0; k < shorts.Length; k++)
        {
            var c = shorts[k];
            var flag = FindShort(c) ?? throw new FlagException($"unknown shorthand flag: '{c}' in -{shorts}");
            var rest = shorts[(k + 1)..];
            if (flag.IsBool)
            {
                if (rest.StartsWith('='))
                {
                    Apply(flag, rest[1..], $"-{c}");
                    return i;
                }
                Apply(flag, "true", $"-{c}");
                continue;
            }
            if (rest.Length > 0)
                Apply(flag, rest.StartsWith('=') ? rest[1..] : rest, $"-{c}");
            else if (i + 1 < args.Count)
                Apply(flag, args[++i], $"-{c}");
            else
                throw new FlagException($"flag needs an argument: '{c}' in -{shorts}");
            return i;
        }
        return i;
    }

    private static void Apply(Flag flag, string value, string spelled)
    {
        try
        {
            flag.Set(value);
            flag.Changed = true;
        }
        catch (FormatException e)
        {
            var display = flag.Shorthand is { } s ? $"-{s}, --{flag.Name}" : $"--{flag.Name}";
            throw new FlagException($"invalid argument \"{value}\" for \"{display}\" flag: {e.Message}");
        }
    }

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    public static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };

    private static int ParseInt(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw new FormatException($"strconv.ParseInt: parsing \"{value}\": invalid syntax");

    private static long ParseLong(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw new FormatException($"strconv.ParseInt: parsing \"{value}\": invalid syntax");
}

/// <summary>One flag: its names, help text and setter.</summary>
internal sealed class Flag(string name, char? shorthand, string usage, bool isBool, bool hidden, Action<string> set)
{
    public string Name { get; } = name;
    public char? Shorthand { get; } = shorthand;
    public string Usage { get; } = usage;
    public bool IsBool { get; } = isBool;
    public bool Hidden { get; private set; } = hidden;
    public List<string> Aliases { get; } = [];
    public string ValueType { get; set; } = "string";
    public string? DefaultText { get; init; }

    /// <summary>May be given more than once (<c>-e A -e B</c>); completion offers it again.</summary>
    public bool Repeatable { get; init; }
    public bool Changed { get; set; }

    public void Set(string value) => set(value);

    /// <summary>
    /// Why berthd cannot honour the flag, in docker's words after the flag's name (<see cref="DaemonSupport"/>); null
    /// when it can. Such a flag is left out of help and refused before the command runs, as docker treats the flags
    /// its daemon does not support.
    /// </summary>
    public string? Unsupported { get; private set; }

    public Flag UnsupportedBecause(string reason)
    {
        Unsupported = reason;
        Hidden = true;
        return this;
    }

    /// <summary>Accepted but left out of help (deprecated spellings).</summary>
    public Flag Hide()
    {
        Hidden = true;
        return this;
    }

    /// <summary>The value placeholder shown in help (<c>--memory bytes</c>).</summary>
    public Flag ValueTypeIs(string type)
    {
        ValueType = type;
        return this;
    }

    /// <summary>Also accept <c>--alias</c> (docker's <c>--net</c> for <c>--network</c>).</summary>
    public Flag Alias(string alias)
    {
        Aliases.Add(alias);
        return this;
    }
}

/// <summary>docker's reasons for refusing a flag of a newer API, of another OS or of experimental daemons.</summary>
internal static class DaemonSupport
{
    public static string RequiresApi(string version) =>
        $"requires API version {version}, but the Berth daemon API version is {Berth.Api.Client.BerthClient.ApiVersion}";

    public const string WindowsOnly = "is only supported on a Berth daemon running on windows, but the Berth daemon is running on linux";

    public const string Experimental = "is only supported on a Berth daemon with experimental features enabled";
}

/// <summary>A command-line usage error: printed with <c>See 'berth CMD --help'.</c>, exit 125.</summary>
internal sealed class FlagException(string message) : Exception(message);
