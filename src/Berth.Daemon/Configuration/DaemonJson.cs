using System.Globalization;
using System.Text.Json;

namespace Berth.Daemon.Configuration;

/// <summary>
/// daemon.json as dockerd reads it: one JSON object whose keys are the flags' configuration names; a nested object is
/// flattened into its parent unless its key holds a map of its own (<c>runtimes</c>, <c>default-ulimits</c>…). Values
/// come out as the strings the matching flag would have taken, so a file and a command line go through one parser.
/// </summary>
internal static class DaemonJson
{
    /// <summary>Keys whose object value is the setting itself, not a group of settings.</summary>
    private static readonly HashSet<string> MapKeys = ["runtimes", "default-ulimits", "log-opts", "features", "builder", "default-network-opts"];

    public static Dictionary<string, JsonElement> Read(string text)
    {
        var trimmed = text.Trim().TrimStart('\uFEFF');
        if (trimmed.Length == 0) return [];
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(trimmed);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"invalid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new ConfigurationException("invalid JSON: the configuration is not a JSON object");
        var flat = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object && !MapKeys.Contains(property.Name))
                foreach (var inner in property.Value.EnumerateObject()) flat[inner.Name] = inner.Value;
            else
                flat[property.Name] = property.Value;
        }
        return flat;
    }

    /// <summary>The value as flag arguments: a list gives one per element, <c>runtimes</c> gives <c>name=path</c>…</summary>
    public static IReadOnlyList<string> AsFlagValues(string key, JsonElement value) => (key, value.ValueKind) switch
    {
        ("runtimes", JsonValueKind.Object) => [.. value.EnumerateObject().Select(r => $"{r.Name}={RuntimePath(r)}")],
        ("default-ulimits", JsonValueKind.Object) => [.. value.EnumerateObject().Select(Ulimit)],
        ("log-opts", JsonValueKind.Object) => [.. value.EnumerateObject().Select(o => $"{o.Name}={Scalar(key, o.Value)}")],
        // [{"base":"10.10.0.0/16","size":24}] → base=10.10.0.0/16,size=24, the flag's form
        ("default-address-pools", JsonValueKind.Array) => [.. value.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.Object
            ? string.Join(',', p.EnumerateObject().Select(f => $"{f.Name}={Display(f.Value)}")) : Scalar(key, p))],
        (_, JsonValueKind.Array) => [.. value.EnumerateArray().Select(e => Scalar(key, e))],
        _ => [Scalar(key, value)],
    };

    /// <summary>Go's <c>%v</c> of a decoded JSON value, as dockerd prints a file's side of a conflict.</summary>
    public static string Display(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => "[" + string.Join(' ', value.EnumerateArray().Select(Display)) + "]",
        JsonValueKind.Object => "map[" + string.Join(' ', value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}:{Display(p.Value)}")) + "]",
        JsonValueKind.Null => "<nil>",
        _ => value.GetRawText(),
    };

    private static string Scalar(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new ConfigurationException($"invalid JSON: the value of \"{key}\" has the wrong type ({value.ValueKind.ToString().ToLowerInvariant()})"),
    };

    private static string RuntimePath(JsonProperty runtime) =>
        runtime.Value.ValueKind == JsonValueKind.Object && runtime.Value.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String
            ? path.GetString()!
            : throw new ConfigurationException($"invalid JSON: runtime \"{runtime.Name}\" needs a \"path\"");

    /// <summary><c>{"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}</c> → <c>nofile=1024:2048</c>.</summary>
    private static string Ulimit(JsonProperty ulimit)
    {
        long Limit(string name) => ulimit.Value.ValueKind == JsonValueKind.Object && ulimit.Value.TryGetProperty(name, out var v) && v.TryGetInt64(out var n)
            ? n : throw new ConfigurationException($"invalid JSON: default-ulimits \"{ulimit.Name}\" needs a numeric \"{name}\"");
        var name = ulimit.Value.ValueKind == JsonValueKind.Object && ulimit.Value.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()! : ulimit.Name;
        return string.Create(CultureInfo.InvariantCulture, $"{name}={Limit("Soft")}:{Limit("Hard")}");
    }
}
