using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Cli.Cli;

/// <summary>Flag values in docker's syntaxes (go-units sizes, Go durations, ulimits, restart policies).</summary>
internal static partial class ValueParsers
{
    [GeneratedRegex(@"^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex SizePattern();

    /// <summary>go-units <c>RAMInBytes</c>: binary multiples, <c>512m</c>, <c>1.5g</c>, <c>1024</c>.</summary>
    /// <exception cref="FormatException"><c>invalid size: 'x'</c>.</exception>
    public static long RamInBytes(string value)
    {
        var match = SizePattern().Match(value);
        if (!match.Success)
            throw new FormatException($"invalid size: '{value}'");
        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var multiplier = match.Groups[3].Value.ToLowerInvariant() switch
        {
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => 1L,
        };
        return (long)(number * multiplier);
    }

    /// <summary><c>--memory-swap</c>: <c>-1</c> for unlimited, else a size.</summary>
    public static long MemorySwapBytes(string value) => value == "-1" ? -1 : RamInBytes(value);

    /// <summary><c>--cpus</c> as nano-CPUs.</summary>
    /// <exception cref="FormatException"><c>failed to parse x as a rational number</c>.</exception>
    public static long NanoCpus(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cpus))
            throw new FormatException($"failed to parse {value} as a rational number");
        var nanos = cpus * 1_000_000_000m;
        if (nanos != decimal.Truncate(nanos))
            throw new FormatException("value is too precise");
        return (long)nanos;
    }

    [GeneratedRegex(@"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")]
    private static partial Regex DurationPart();

    /// <summary>Go's <c>time.ParseDuration</c> (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>, <c>0</c>) in nanoseconds.</summary>
    /// <exception cref="FormatException"><c>time: invalid duration "x"</c>.</exception>
    public static long DurationNanos(string value)
    {
        var text = value;
        var negative = false;
        if (text.StartsWith('-') || text.StartsWith('+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        if (text == "0")
            return 0;
        var total = 0m;
        var position = 0;
        foreach (Match part in DurationPart().Matches(text))
        {
            if (part.Index != position)
                throw new FormatException($"time: invalid duration \"{value}\"");
            position += part.Length;
            var amount = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += amount * part.Groups[2].Value switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                _ => 3_600_000_000_000m,
            };
        }
        if (position == 0 || position != text.Length)
            throw new FormatException($"time: invalid duration \"{value}\"");
        var nanos = (long)total;
        return negative ? -nanos : nanos;
    }

    /// <summary><c>--ulimit name=soft[:hard]</c>.</summary>
    /// <exception cref="FormatException">docker's ulimit messages.</exception>
    public static (string Name, long Soft, long Hard) Ulimit(string value)
    {
        var eq = value.IndexOf('=');
        if (eq <= 0)
            throw new FormatException($"invalid ulimit argument: {value}");
        var name = value[..eq];
        var limits = value[(eq + 1)..].Split(':');
        if (limits.Length > 2 || !long.TryParse(limits[0], CultureInfo.InvariantCulture, out var soft))
            throw new FormatException($"invalid ulimit argument: {value}");
        var hard = soft;
        if (limits.Length == 2 && !long.TryParse(limits[1], CultureInfo.InvariantCulture, out hard))
            throw new FormatException($"invalid ulimit argument: {value}");
        if (soft > hard)
            throw new FormatException($"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
        return (name, soft, hard);
    }

    /// <summary><c>--restart no|always|unless-stopped|on-failure[:N]</c>.</summary>
    /// <exception cref="FormatException">docker's restart-policy messages.</exception>
    public static (string Name, int MaximumRetryCount) RestartPolicy(string value)
    {
        if (value.Length == 0)
            return ("no", 0);
        var colon = value.IndexOf(':');
        var name = colon >= 0 ? value[..colon] : value;
        var count = 0;
        if (colon >= 0 && !int.TryParse(value[(colon + 1)..], CultureInfo.InvariantCulture, out count))
            throw new FormatException($"invalid restart policy format: maximum retry count must be an integer");
        if (name is not ("no" or "always" or "unless-stopped" or "on-failure"))
            throw new FormatException($"invalid restart policy format: unknown policy '{name}'");
        if (colon >= 0 && name != "on-failure")
            throw new FormatException($"invalid restart policy format: maximum retry count can only be used with 'on-failure'");
        return (name, count);
    }

    /// <summary>docker's <c>ValidateEnv</c>: <c>K=V</c> as is; a bare <c>K</c> takes the CLI's own value when set.</summary>
    public static string Env(string value, Func<string, string?> environment)
    {
        var eq = value.IndexOf('=');
        var key = eq >= 0 ? value[..eq] : value;
        if (key.Length == 0)
            throw new FormatException($"invalid environment variable: {value}");
        if (eq >= 0)
            return value;
        return environment(key) is { } fromEnv ? key + "=" + fromEnv : value;
    }

    /// <summary>Reads an <c>--env-file</c>/<c>--label-file</c>: one entry a line, <c>#</c> comments and blank lines skipped.</summary>
    public static IEnumerable<string> ReadKeyValueFile(string path, Func<string, string?>? environment)
    {
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var eq = line.IndexOf('=');
            var key = eq >= 0 ? line[..eq] : line;
            if (key.Any(char.IsWhiteSpace))
                throw new FormatException($"variable '{key}' contains whitespaces");
            if (eq >= 0)
                yield return line;
            else if (environment is null)
                yield return line;
            else if (environment(key) is { } fromEnv)
                yield return key + "=" + fromEnv;
        }
    }
}
