using System.Globalization;
using System.Text;

namespace Berth.Dockerfile;

/// <summary>
/// <c>RUN --mount=type=cache,target=/root/.cache,…</c> read as BuildKit does: CSV fields, <c>key=value</c> or a bare
/// <c>ro</c>/<c>rw</c>/<c>readonly</c>/<c>readwrite</c>/<c>required</c> (stored with the value <c>true</c>), keys
/// lower-cased. Values holding a variable are checked by the builder after expansion; the others are checked here
/// with BuildKit's messages.
/// </summary>
internal static class RunMountParser
{
    private static readonly string[] Types = ["bind", "cache", "tmpfs", "secret", "ssh"];
    private static readonly string[] Sharing = ["shared", "private", "locked"];
    private static readonly string[] BareKeys = ["readonly", "ro", "readwrite", "rw", "required"];
    private static readonly string[] Keys =
    [
        "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size", "mode", "uid", "gid", "src",
        "dst", "destination", "ro", "rw", "readwrite", "env",
    ];

    public static RunMount Parse(string value)
    {
        var type = "bind";
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in SplitCsv(value))
        {
            var equals = field.IndexOf('=');
            var key = (equals < 0 ? field : field[..equals]).ToLowerInvariant();
            if (equals < 0)
            {
                if (!BareKeys.Contains(key))
                {
                    throw new DockerfileException(0, $"invalid field '{field}' must be a key=value pair");
                }
                options[key] = "true";
                continue;
            }
            var fieldValue = field[(equals + 1)..];
            if (!Keys.Contains(key))
            {
                throw new DockerfileException(0, Suggestion.Append($"unexpected key '{key}' in '{field}'", key, Keys, caseSensitive: true));
            }
            if (key == "type")
            {
                type = fieldValue.ToLowerInvariant();
                if (!Types.Contains(type))
                {
                    throw new DockerfileException(0, Suggestion.Append($"unsupported mount type \"{fieldValue}\"", fieldValue, Types, caseSensitive: true));
                }
                continue;
            }
            if (key == "from" && fieldValue.IndexOf('$') is var dollar and >= 0 && dollar != fieldValue.Length - 1)
            {
                throw new DockerfileException(0, "'from' doesn't support variable expansion, define alias stage instead");
            }
            options[key] = fieldValue;
        }
        Check(type, options);
        return new RunMount(type, options);
    }

    /// <summary>The checks BuildKit makes on a mount's literal values (a value with a <c>$</c> waits for the builder).</summary>
    private static void Check(string type, Dictionary<string, string> options)
    {
        string? Literal(string key) => options.TryGetValue(key, out var v) && !v.Contains('$') ? v : null;
        if (Literal("sharing") is { } sharing && !Sharing.Contains(sharing.ToLowerInvariant()))
        {
            throw new DockerfileException(0, Suggestion.Append($"unsupported sharing value \"{sharing}\"", sharing, Sharing, caseSensitive: true));
        }
        foreach (var key in new[] { "readonly", "ro", "readwrite", "rw", "required" })
        {
            if (Literal(key) is { } flag && !IsGoBool(flag))
            {
                throw new DockerfileException(0, $"invalid value for {key}: {flag}");
            }
        }
        if (Literal("mode") is { } mode && !IsNumber(mode, 8))
        {
            throw new DockerfileException(0, $"invalid value {mode} for mode");
        }
        foreach (var key in new[] { "uid", "gid" })
        {
            if (Literal(key) is { } id && !IsNumber(id, 10))
            {
                throw new DockerfileException(0, $"invalid value {id} for {key}");
            }
        }
        CheckForType(type, options);
    }

    private static void CheckForType(string type, Dictionary<string, string> options)
    {
        if (options.ContainsKey("required") && type is not ("secret" or "ssh"))
        {
            throw new DockerfileException(0, $"unexpected key 'required' for mount type '{type}'");
        }
        if (options.ContainsKey("size") && type != "tmpfs")
        {
            throw new DockerfileException(0, $"unexpected key 'size' for mount type '{type}'");
        }
        if (type is "bind" or "tmpfs")
        {
            foreach (var key in new[] { "mode", "uid", "gid" }.Where(options.ContainsKey))
            {
                throw new DockerfileException(0, $"{key} not allowed for \"{type}\" type mounts");
            }
        }
        if (type == "secret")
        {
            if (options.ContainsKey("from"))
            {
                throw new DockerfileException(0, "secret mount should not have a from");
            }
            if (options.ContainsKey("sharing"))
            {
                throw new DockerfileException(0, "secret mount should not define sharing");
            }
        }
        if (options.ContainsKey("sharing") && type != "cache")
        {
            throw new DockerfileException(0, $"invalid cache sharing set for {type} mount");
        }
    }

    private static bool IsGoBool(string value) =>
        value is "1" or "t" or "T" or "TRUE" or "true" or "True" or "0" or "f" or "F" or "FALSE" or "false" or "False";

    private static bool IsNumber(string value, int radix)
    {
        try
        {
            Convert.ToUInt32(value, radix);
            return value.Length > 0;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Comma-separated fields; a field in double quotes may hold commas (<c>""</c> is a quote).</summary>
    private static List<string> SplitCsv(string value)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (ch == '"' && (quoted || field.Length == 0))
            {
                if (quoted && i + 1 < value.Length && value[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (ch == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }
}
