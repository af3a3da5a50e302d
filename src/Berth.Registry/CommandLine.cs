namespace Berth.Registry;

/// <summary>A tiny <c>--name value</c> / <c>--name=value</c> / <c>--flag</c> parser; unknown options are errors.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private CommandLine() { }

    public static CommandLine Parse(IEnumerable<string> args, IReadOnlySet<string> valued, IReadOnlySet<string> flags)
    {
        var line = new CommandLine();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unexpected argument \"{arg}\"");
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            if (flags.Contains(name))
            {
                line._values[name] = eq < 0 ? "true" : arg[(eq + 1)..];
            }
            else if (valued.Contains(name))
            {
                if (eq >= 0) line._values[name] = arg[(eq + 1)..];
                else if (e.MoveNext()) line._values[name] = e.Current;
                else throw new UsageException($"--{name} needs a value");
            }
            else
            {
                throw new UsageException($"unknown option --{name}");
            }
        }
        return line;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public bool Flag(string name) => _values.GetValueOrDefault(name) is "true" or "1" or "yes";
}

internal sealed class UsageException(string message) : Exception(message);
