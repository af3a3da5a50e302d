using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>The project-wide checks, with compose's messages; they run before anything is created.</summary>
public static class ProjectValidator
{
    /// <param name="project">The resolved project.</param>
    /// <param name="all">Every service defined, the profile-disabled ones too (a dependency on one of those is not "undefined").</param>
    public static void Validate(MapNode project, MapNode all)
    {
        var services = (MapNode)project["services"]!;
        var networks = project["networks"] as MapNode;
        var volumes = project["volumes"] as MapNode;
        foreach (var (name, node) in services.Entries)
        {
            var service = (MapNode)node;
            if (service["image"] is null && service["build"] is null)
                throw Invalid($"service \"{name}\" has neither an image nor a build context specified");
            if (service["network_mode"] is not null && service["networks"] is not null)
                throw Invalid($"service {name} declares mutually exclusive `network_mode` and `networks`");
            foreach (var dependency in Keys(service["depends_on"]))
                if (!services.Entries.ContainsKey(dependency) && (!all.Entries.ContainsKey(dependency) || IsRequired(service, dependency)))
                    throw Invalid($"service \"{name}\" depends on undefined service \"{dependency}\"");
            foreach (var network in Keys(service["networks"]))
                if (networks?[network] is null)
                    throw Invalid($"service \"{name}\" refers to undefined network {network}");
            foreach (var volume in (service["volumes"] as SeqNode)?.Items.Cast<MapNode>() ?? [])
                if (volume["type"]?.ToString() == "volume" && volume["source"] is { } source && volumes?[source.ToString()] is null)
                    throw Invalid($"service \"{name}\" refers to undefined volume {source}");
            foreach (var kind in new[] { "secrets", "configs" })
                foreach (var reference in (service[kind] as SeqNode)?.Items.Cast<MapNode>() ?? [])
                    if ((project[kind] as MapNode)?[reference["source"]?.ToString() ?? ""] is null)
                        throw Invalid($"service \"{name}\" refers to undefined {kind[..^1]} {reference["source"]}");
        }
        CheckCycles(services);
    }

    private static IEnumerable<string> Keys(Node? map) => (map as MapNode)?.Entries.Keys ?? Enumerable.Empty<string>();

    private static bool IsRequired(MapNode service, string dependency) =>
        ((MapNode)((MapNode)service["depends_on"]!)[dependency]!)["required"]?.ToString() != "false";

    private static ComposeException Invalid(string reason) => new(reason + ": invalid compose project");

    /// <summary>compose's message names the cycle: <c>dependency cycle detected: a -> b -> a</c>.</summary>
    private static void CheckCycles(MapNode services)
    {
        var done = new HashSet<string>();
        foreach (var name in services.Entries.Keys)
            Visit(services, name, [], done);
    }

    private static void Visit(MapNode services, string name, List<string> path, HashSet<string> done)
    {
        if (path.IndexOf(name) is var at and >= 0)
            throw new ComposeException($"dependency cycle detected: {string.Join(" -> ", path[at..])} -> {name}");
        if (done.Contains(name) || services[name] is not MapNode service)
            return;
        path.Add(name);
        foreach (var dependency in Keys(service["depends_on"]))
            Visit(services, dependency, path, done);
        path.RemoveAt(path.Count - 1);
        done.Add(name);
    }
}
