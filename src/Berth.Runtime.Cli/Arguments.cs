namespace Berth.Runtime.Cli;

/// <summary>One flag a command accepts: its names ("bundle", "b") and whether it takes a value.</summary>
public sealed record Flag(string[] Names, bool TakesValue, bool Repeatable = false)
{
    public static Flag Value(params string[] names) => new(names, true);
    public static Flag Many(params string[] names) => new(names, true, true);
    public static Flag Bool(params string[] names) => new(names, false);
}

/// <summary>
/// Parses runc-style arguments (Go's flag package through urfave/cli): <c>-x</c>, <c>--name value</c>, <c>--name=value</c>,
/// single-dash long names too; flags end at the first positional argument or at <c>--</c>.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = [];

    public List<string> Positionals { get; } = [];

    public static Arguments Parse(IReadOnlyList<string> args, params Flag[] flags)
    {
        var parsed = new Arguments();
        var byName = flags.SelectMany(f => f.Names.Select(n => (n, f))).ToDictionary(p => p.n, p => p.f);
        var i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { i++; break; }
            if (arg.Length < 2 || arg[0] != '-') break;
            var name = arg.TrimStart('-');
            string? inline = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) (name, inline) = (name[..eq], name[(eq + 1)..]);
            if (!byName.TryGetValue(name, out var flag)) throw new UsageException($"flag provided but not defined: -{name}");
            string value;
            if (!flag.TakesValue) value = inline ?? "true";
            else if (inline is not null) value = inline;
            else if (i + 1 < args.Count) value = args[++i];
            else throw new UsageException($"flag needs an argument: -{name}");
            var key = flag.Names[0];
            if (!parsed._values.TryGetValue(key, out var list)) parsed._values[key] = list = [];
            if (!flag.Repeatable) list.Clear();
            list.Add(value);
        }
        parsed.Positionals.AddRange(args.Skip(i));
        return parsed;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public bool Has(string name) => Get(name) is { } v && v is not ("false" or "0");

    /// <summary>The container id: the first positional argument, required.</summary>
    public string RequireId(string command)
    {
        if (Positionals.Count == 0) throw new UsageException($"\"{command}\" requires a minimum of 1 argument");
        return Positionals[0];
    }

    public void RequireExactly(int count, string command)
    {
        if (Positionals.Count != count)
            throw new UsageException($"\"{command}\" requires exactly {count} argument(s)");
    }
}

/// <summary>Wrong usage: printed with the command's name, exit status 1 as runc.</summary>
public sealed class UsageException(string message) : Exception(message);
