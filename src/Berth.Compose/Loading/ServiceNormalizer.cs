using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// One file's service to Compose's canonical form, before files are merged, so that merging compares like with
/// like: mappings for the "list or mapping" fields, long syntax for ports, volumes, depends_on, secrets; commands
/// split into words; host paths absolute. Unknown keys are refused here, with the service's path.
/// </summary>
public sealed class ServiceNormalizer(string file, PathResolver paths, Func<string, string?> lookup)
{
    private static readonly string[] KeyValueFields = ["labels", "annotations", "sysctls"];
    private static readonly string[] StringListFields =
        ["dns", "dns_opt", "dns_search", "cap_add", "cap_drop", "tmpfs", "profiles", "links", "external_links", "security_opt", "group_add", "volumes_from", "device_cgroup_rules"];

    public MapNode Normalize(string name, MapNode service)
    {
        var path = "services." + name;
        var output = new MapNode();
        foreach (var (key, value) in service.Entries)
        {
            if (!ServiceKeys.Service.Contains(key) && !ServiceKeys.IsExtension(key))
                throw new ComposeException(file, path, $"additional properties '{key}' not allowed");
            var at = $"{path}.{key}";
            output.Set(key, ResourceSyntax.Normalize(key, value, file, at) ?? key switch
            {
                "build" => Build(value, at),
                "command" or "entrypoint" => value is ScalarNode { IsNull: false } s ? Words(s.Value, at) : value,
                "environment" => KeyValues.ToMap(value, file, at, lookup),
                "env_file" => EnvFiles(value, at),
                "ports" => new SeqNode(value.AsSeq(file, at).Items.SelectMany(p => PortSyntax.Normalize(p, file, at))),
                "expose" => new SeqNode(value.AsSeq(file, at).Items.Select(e => ScalarNode.String(e.AsString(file, at)))),
                "volumes" => new SeqNode(value.AsSeq(file, at).Items.Select(v => new VolumeSyntax(paths).Normalize(v, file, at))),
                "depends_on" => DependsOn(value, at),
                "extends" => Extends.Normalize(value, file, at, paths),
                "networks" => Networks(value, at),
                "healthcheck" => Healthcheck(value.AsMap(file, at), at),
                "extra_hosts" => value is MapNode hosts
                    ? new SeqNode(hosts.Entries.Select(h => ScalarNode.String($"{h.Key}={h.Value.AsString(file, at)}")))
                    : Strings(value, at),
                "secrets" or "configs" => new SeqNode(value.AsSeq(file, at).Items.Select(r => FileReference(r, at))),
                _ when KeyValueFields.Contains(key) => KeyValues.ToMap(value, file, at),
                _ when StringListFields.Contains(key) => Strings(value, at),
                _ => value,
            });
        }
        return output;
    }

    private SeqNode Strings(Node value, string path) => new(value.AsStrings(file, path).Select(s => (Node)ScalarNode.String(s)));

    private SeqNode Words(string command, string path) => new(ShellWords.Split(command, file, path).Select(w => (Node)ScalarNode.String(w)));

    private MapNode Build(Node value, string path)
    {
        var source = value is ScalarNode s ? new MapNode { Entries = { ["context"] = s } } : value.AsMap(file, path);
        var build = new MapNode();
        build.Set("context", ScalarNode.String(paths.Resolve(source.StringOrNull("context", file, path) ?? ".")));
        build.Set("dockerfile", ScalarNode.String(source.StringOrNull("dockerfile", file, path) ?? "Dockerfile"));
        foreach (var (key, item) in source.Entries.Where(e => e.Key is not ("context" or "dockerfile")))
            build.Set(key, key is "args" or "labels" ? KeyValues.ToMap(item, file, $"{path}.{key}", lookup) : item);
        return build;
    }

    private SeqNode EnvFiles(Node value, string path) => new((value is SeqNode seq ? seq.Items : [value]).Select(item =>
    {
        var entry = new MapNode();
        var source = item as MapNode;
        var envPath = source is null ? item.AsString(file, path) : source.StringOrNull("path", file, path) ?? throw new ComposeException(file, path, "path is required");
        entry.Set("path", ScalarNode.String(paths.Resolve(envPath)));
        entry.Set("required", ScalarNode.Bool(source?["required"]?.AsBool(file, path + ".required") ?? true));
        return (Node)entry;
    }));

    private MapNode DependsOn(Node value, string path)
    {
        var map = new MapNode();
        if (value is SeqNode seq)
        {
            foreach (var item in seq.Items)
                map.Set(item.AsString(file, path), Dependency(null, path));
            return map;
        }
        foreach (var (service, spec) in value.AsMap(file, path).Entries)
            map.Set(service, Dependency(spec as MapNode, $"{path}.{service}"));
        return map;
    }

    private MapNode Dependency(MapNode? spec, string path)
    {
        var condition = spec?.StringOrNull("condition", file, path) ?? "service_started";
        if (condition is not ("service_started" or "service_healthy" or "service_completed_successfully"))
            throw new ComposeException(file, path + ".condition",
                $"must be one of service_started, service_healthy, service_completed_successfully: {condition}");
        var dependency = new MapNode();
        dependency.Set("condition", ScalarNode.String(condition));
        if (spec?["restart"] is { } restart)
            dependency.Set("restart", ScalarNode.Bool(restart.AsBool(file, path + ".restart")));
        dependency.Set("required", ScalarNode.Bool(spec?["required"]?.AsBool(file, path + ".required") ?? true));
        return dependency;
    }

    private MapNode Networks(Node value, string path)
    {
        if (value is SeqNode seq)
        {
            var map = new MapNode();
            foreach (var item in seq.Items)
                map.Set(item.AsString(file, path), ScalarNode.Null);
            return map;
        }
        return value.AsMap(file, path);
    }

    private MapNode Healthcheck(MapNode source, string path)
    {
        var check = (MapNode)source.Clone();
        if (check["disable"] is { } disable && disable.AsBool(file, path + ".disable"))
        {
            check.Entries.Remove("disable");
            check.Set("test", new SeqNode([ScalarNode.String("NONE")]));
        }
        else if (check["test"] is ScalarNode { IsNull: false } test)
            check.Set("test", new SeqNode([ScalarNode.String("CMD-SHELL"), ScalarNode.String(test.Value)]));
        return check;
    }

    private MapNode FileReference(Node item, string path)
    {
        if (item is MapNode map)
            return (MapNode)map.Clone();
        var reference = new MapNode();
        reference.Set("source", ScalarNode.String(item.AsString(file, path)));
        return reference;
    }
}
