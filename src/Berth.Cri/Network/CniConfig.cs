using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cri.Network;

/// <summary>
/// A CNI network configuration list (CNI spec 1.0, section 1): its name, its version and its chain of plugins, each a
/// JSON object with at least a <c>type</c>, the name of the plugin's executable.
/// </summary>
internal sealed record CniConfig(string Name, string CniVersion, IReadOnlyList<JsonObject> Plugins)
{
    /// <summary>
    /// The configuration kubelet's runtimes use: the first file of <paramref name="directory"/> in name order that is a
    /// <c>.conflist</c>, or a <c>.conf</c>/<c>.json</c> holding a single plugin; null when there is none.
    /// </summary>
    /// <exception cref="InvalidDataException">The first such file does not parse or lacks what the spec requires.</exception>
    public static CniConfig? Load(string directory)
    {
        if (!Directory.Exists(directory)) return null;
        var file = Directory.EnumerateFiles(directory).Where(f => Path.GetExtension(f) is ".conflist" or ".conf" or ".json")
            .Order(StringComparer.Ordinal).FirstOrDefault();
        return file is null ? null : Parse(File.ReadAllText(file), single: Path.GetExtension(file) != ".conflist", file);
    }

    internal static CniConfig Parse(string json, bool single, string source)
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{source}: not a JSON object");
            var name = root["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{source}: no name");
            var version = root["cniVersion"]?.GetValue<string>() ?? throw new InvalidDataException($"{source}: no cniVersion");
            List<JsonObject> plugins = single ? [root] : [.. (root["plugins"]?.AsArray() ?? []).Select(p => p!.AsObject())];
            if (plugins.Count == 0 || plugins.Any(p => p["type"]?.GetValue<string>() is not { Length: > 0 }))
                throw new InvalidDataException($"{source}: every plugin needs a type");
            return new CniConfig(name, version, plugins);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>The list as a <c>.conflist</c> holds it (kept with a pod's result, so its teardown uses the same chain).</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["cniVersion"] = CniVersion,
        ["plugins"] = new JsonArray([.. Plugins.Select(p => p.DeepClone())]),
    };

    /// <summary>
    /// What plugin <paramref name="index"/> reads on stdin: its own object, with the list's name and version, the
    /// previous result, and as <c>runtimeConfig</c> the <paramref name="capabilityArgs"/> its <c>capabilities</c>
    /// asks for (CNI's conventions: <c>portMappings</c> for <c>portmap</c>), as libcni does.
    /// </summary>
    public string StdinOf(int index, JsonNode? previousResult, JsonObject? capabilityArgs = null)
    {
        var config = Plugins[index].DeepClone().AsObject();
        config["name"] = Name;
        config["cniVersion"] = CniVersion;
        if (previousResult is not null) config["prevResult"] = previousResult.DeepClone();
        var runtimeConfig = new JsonObject();
        foreach (var (capability, enabled) in config["capabilities"] as JsonObject ?? [])
        {
            if (enabled?.GetValueKind() == JsonValueKind.True && capabilityArgs?[capability] is { } value)
                runtimeConfig[capability] = value.DeepClone();
        }
        if (runtimeConfig.Count > 0) config["runtimeConfig"] = runtimeConfig;
        return config.ToJsonString();
    }
}
