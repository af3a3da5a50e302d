using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// The merged tree to the project compose prints with <c>config</c>: services outside the active profiles left out,
/// <c>env_file</c>s read into <c>environment</c>, each service on <c>default</c> unless it says otherwise, every
/// network and volume given its engine name (<c>project_default</c>, <c>project_data</c>), keys sorted; then checked:
/// an image or a build for each service, no reference to an undefined service, network or volume, no dependency cycle.
/// </summary>
public sealed class ProjectResolver(string projectName, Func<string, string?> lookup)
{
    private static readonly string[] TopLevelOrder = ["name", "services", "networks", "volumes", "secrets", "configs", "models"];

    public MapNode Resolve(MapNode merged, IReadOnlyList<string> profiles, IReadOnlyList<string> requested)
    {
        var services = merged["services"] as MapNode ?? new MapNode();
        var enabled = new MapNode();
        foreach (var (name, service) in services.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            if (IsEnabled((MapNode)service, profiles) || requested.Contains(name))
                enabled.Set(name, ResolveService((MapNode)service));
        var networks = Named(merged["networks"] as MapNode);
        if (enabled.Entries.Values.Any(s => ((MapNode)s)["networks"] is MapNode n && n.Entries.ContainsKey("default")) && !networks.Entries.ContainsKey("default"))
            networks.Set("default", new MapNode { Entries = { ["name"] = ScalarNode.String($"{projectName}_default") } });
        var project = new MapNode();
        project.Set("name", ScalarNode.String(projectName));
        project.Set("services", enabled);
        if (networks.Entries.Count > 0)
            project.Set("networks", Sorted(networks));
        if (merged["volumes"] is MapNode volumes)
            project.Set("volumes", Sorted(Named(volumes)));
        foreach (var key in new[] { "secrets", "configs" })
            if (merged[key] is MapNode files)
                project.Set(key, Sorted(FilesNamed(files)));
        foreach (var (key, value) in merged.Entries.Where(e => !TopLevelOrder.Contains(e.Key) && e.Key != "version"))
            project.Set(key, value);
        ProjectValidator.Validate(project, services);
        return project;
    }

    private static bool IsEnabled(MapNode service, IReadOnlyList<string> profiles) =>
        service["profiles"] is not SeqNode { Items.Count: > 0 } own || profiles.Contains("*") || own.Items.Any(p => profiles.Contains(p.ToString()));

    private MapNode ResolveService(MapNode service)
    {
        var resolved = (MapNode)service.Clone();
        if (resolved["env_file"] is SeqNode envFiles)
        {
            var environment = new MapNode();
            foreach (var entry in envFiles.Items.Cast<MapNode>())
                foreach (var (key, value) in ReadEnvFile(entry))
                    environment.Set(key, ScalarNode.String(value));
            if (resolved["environment"] is MapNode own)
                foreach (var (key, value) in own.Entries)
                    environment.Set(key, value);
            resolved.Set("environment", environment);
            resolved.Entries.Remove("env_file");
        }
        if (resolved["network_mode"] is null && resolved["networks"] is null)
            resolved.Set("networks", new MapNode { Entries = { ["default"] = ScalarNode.Null } });
        foreach (var key in new[] { "environment", "labels", "networks", "depends_on" })
            if (resolved[key] is MapNode map)
                resolved.Set(key, Sorted(map));
        return Sorted(resolved);
    }

    private OrderedDictionary<string, string> ReadEnvFile(MapNode entry)
    {
        var path = entry["path"]!.ToString();
        if (File.Exists(path))
            return DotEnv.Parse(File.ReadAllText(path), path, lookup);
        if (entry["required"] is ScalarNode { Value: "false" })
            return [];
        throw new ComposeException($"env file {path} not found: stat {path}: no such file or directory");
    }

    /// <summary>Each network or volume with its engine name: its own <c>name</c>, its key when external, else project_key.</summary>
    private MapNode Named(MapNode? resources)
    {
        var output = new MapNode();
        foreach (var (key, value) in resources?.Entries ?? [])
        {
            var resource = value is MapNode map ? (MapNode)map.Clone() : new MapNode();
            var external = resource["external"] is { } e && e is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
            if (resource["labels"] is { } labels)
                resource.Set("labels", KeyValues.ToMap(labels, "", key + ".labels"));
            if (resource["name"] is null)
                resource.Set("name", ScalarNode.String(external ? key : $"{projectName}_{key}"));
            output.Set(key, Sorted(resource));
        }
        return output;
    }

    private MapNode FilesNamed(MapNode resources)
    {
        var output = new MapNode();
        foreach (var (key, value) in resources.Entries)
        {
            var resource = (MapNode)value.Clone();
            resource.Entries.TryAdd("name", ScalarNode.String($"{projectName}_{key}"));
            output.Set(key, Sorted(resource));
        }
        return output;
    }

    private static MapNode Sorted(MapNode map)
    {
        var sorted = new MapNode();
        foreach (var (key, value) in map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            sorted.Set(key, value);
        return sorted;
    }
}
