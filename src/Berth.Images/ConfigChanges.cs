using System.Text;
using System.Text.Json;
using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>
/// Applies <c>docker import --change</c> / <c>docker commit --change</c> instructions to an image's runtime config:
/// CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR, in Dockerfile syntax (JSON or shell
/// form for commands). Variables are not expanded.
/// </summary>
public static class ConfigChanges
{
    /// <exception cref="ImageException">InvalidArgument: an instruction that is not one of these, or malformed.</exception>
    public static ImageRuntimeConfig Apply(ImageRuntimeConfig config, IEnumerable<string> changes)
    {
        var cmdSet = false;
        foreach (var change in changes)
        {
            var line = change.Trim();
            if (line.Length == 0) continue;
            var space = line.IndexOfAny([' ', '\t']);
            var instruction = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (instruction)
            {
                case "CMD":
                    config.Cmd = Command(rest, instruction);
                    cmdSet = true;
                    break;
                case "ENTRYPOINT":
                    config.Entrypoint = Command(rest, instruction);
                    if (!cmdSet) config.Cmd = null; // a new entrypoint drops an inherited CMD, as in a Dockerfile
                    break;
                case "ENV":
                    foreach (var (key, value) in Pairs(rest, instruction, legacyForm: true))
                    {
                        var env = config.Env ??= [];
                        env.RemoveAll(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
                        env.Add($"{key}={value}");
                    }
                    break;
                case "LABEL":
                    foreach (var (key, value) in Pairs(rest, instruction, legacyForm: false))
                        (config.Labels ??= [])[key] = value;
                    break;
                case "EXPOSE":
                    foreach (var port in Words(rest)) foreach (var p in Ports(port)) (config.ExposedPorts ??= [])[p] = new EmptyObject();
                    break;
                case "VOLUME":
                    foreach (var volume in rest.StartsWith('[') ? JsonArray(rest, instruction) : Words(rest))
                        (config.Volumes ??= [])[volume] = new EmptyObject();
                    break;
                case "WORKDIR":
                    Require(rest, instruction);
                    var dir = Unquote(rest);
                    config.WorkingDir = CleanPath(dir.StartsWith('/') ? dir : (config.WorkingDir ?? "/") + "/" + dir);
                    break;
                case "USER":
                    config.User = Require(rest, instruction);
                    break;
                case "STOPSIGNAL":
                    config.StopSignal = Require(rest, instruction);
                    break;
                case "ONBUILD":
                    (config.OnBuild ??= []).Add(Require(rest, instruction));
                    break;
                default:
                    throw ImageException.Invalid($"{instruction} is not a valid change command");
            }
        }
        return config;
    }

    private static List<string> Command(string rest, string instruction)
    {
        Require(rest, instruction);
        return rest.StartsWith('[') ? JsonArray(rest, instruction) : ["/bin/sh", "-c", rest];
    }

    private static string Require(string rest, string instruction) =>
        rest.Length > 0 ? rest : throw ImageException.Invalid($"{instruction} requires at least one argument");

    private static List<string> JsonArray(string text, string instruction)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("not an array");
            return [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new JsonException("not a string"))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw ImageException.Invalid($"{instruction}: not a JSON array of strings: {text}", e);
        }
    }

    /// <summary><c>k=v k2="v 2"</c>; with <paramref name="legacyForm"/>, also <c>ENV key the rest is the value</c>.</summary>
    private static IEnumerable<(string Key, string Value)> Pairs(string rest, string instruction, bool legacyForm)
    {
        Require(rest, instruction);
        var words = Words(rest);
        if (legacyForm && !words[0].Contains('='))
        {
            var space = rest.IndexOfAny([' ', '\t']);
            if (space < 0) throw ImageException.Invalid($"{instruction} names must be followed by a value: {rest}");
            return [(words[0], rest[(space + 1)..].Trim())];
        }
        return words.Select(word =>
        {
            var eq = word.IndexOf('=');
            if (eq <= 0) throw ImageException.Invalid($"{instruction} syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            return (word[..eq], word[(eq + 1)..]);
        }).ToList();
    }

    private static IEnumerable<string> Ports(string spec)
    {
        var slash = spec.IndexOf('/');
        var protocol = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        var range = slash < 0 ? spec : spec[..slash];
        var dash = range.IndexOf('-');
        if (!ushort.TryParse(dash < 0 ? range : range[..dash], out var first) || first == 0
            || !ushort.TryParse(dash < 0 ? range : range[(dash + 1)..], out var last) || last < first
            || protocol is not ("tcp" or "udp" or "sctp"))
            throw ImageException.Invalid($"invalid containerPort: {spec}");
        for (var port = first; port <= last && port != 0; port++) yield return $"{port}/{protocol}";
    }

    /// <summary>Splits on blanks outside quotes; quotes are removed and a backslash escapes the next character.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\0' && char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\\' && quote != '\'' && i + 1 < text.Length) word.Append(text[++i]);
            else if (quote == '\0' && c is '"' or '\'') quote = c;
            else if (c == quote) quote = '\0';
            else word.Append(c);
        }
        if (quote != '\0') throw ImageException.Invalid($"unterminated quote in \"{text}\"");
        if (inWord) words.Add(word.ToString());
        return words;
    }

    private static string Unquote(string text) => Words(text) is [var single] ? single : text;

    private static string CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
