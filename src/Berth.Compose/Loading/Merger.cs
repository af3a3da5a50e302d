using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// Compose's rules for an override file (a later <c>-f</c>) over the files before it, on canonical trees: mappings
/// merge key by key, scalars are replaced, sequences are appended, except where the specification says otherwise:
/// <c>command</c>, <c>entrypoint</c> and <c>healthcheck.test</c> are replaced whole; <c>volumes</c> and <c>devices</c> are merged by
/// target path and <c>secrets</c>/<c>configs</c> by source; lists of names (<c>dns</c>, <c>cap_add</c>, <c>ports</c>…)
/// keep one copy of each entry.
/// </summary>
public static class Merger
{
    public static MapNode MergeProject(MapNode baseline, MapNode over)
    {
        var merged = (MapNode)baseline.Clone();
        foreach (var (key, value) in over.Entries)
        {
            if (key == "services" && merged["services"] is MapNode services && value is MapNode overServices)
                merged.Set(key, MergeServices(services, overServices));
            else
                merged.Set(key, merged[key] is { } existing ? Merge(existing, value) : value.Clone());
        }
        return merged;
    }

    private static MapNode MergeServices(MapNode services, MapNode over)
    {
        foreach (var (name, service) in over.Entries)
            services.Set(name, services[name] is MapNode existing && service is MapNode overService
                ? MergeService(existing, overService)
                : service.Clone());
        return services;
    }

    /// <summary><paramref name="over"/> merged into <paramref name="service"/> (changed in place): an override file's service, or an <c>extends</c>.</summary>
    public static MapNode MergeService(MapNode service, MapNode over)
    {
        foreach (var (key, value) in over.Entries)
        {
            if (service[key] is not { } existing || value is ScalarNode { IsNull: true })
            {
                service.Set(key, value.Clone());
                continue;
            }
            service.Set(key, key switch
            {
                "command" or "entrypoint" => value.Clone(),
                "healthcheck" when existing is MapNode check && value is MapNode overCheck => MergeHealthcheck(check, overCheck),
                "volumes" or "devices" => MergeKeyed(existing, value, "target"),
                // Another logging driver replaces the whole block; the same (or none) merges the options.
                "logging" when DriverOf(existing) is { } driver && DriverOf(value) is { } overDriver && driver != overDriver => value.Clone(),
                "ulimits" when existing is MapNode limits && value is MapNode overLimits => MergeUlimits(limits, overLimits),
                "secrets" or "configs" => MergeKeyed(existing, value, "source"),
                "env_file" => new SeqNode(((SeqNode)existing).Items.Concat(((SeqNode)value).Items).Select(i => i.Clone())),
                _ => Merge(existing, value),
            });
        }
        return service;
    }

    private static string? DriverOf(Node logging) => (logging as MapNode)?["driver"]?.ToString();

    /// <summary>A ulimit of the override replaces the base's whole (a single value and a soft/hard pair do not mix).</summary>
    private static MapNode MergeUlimits(MapNode limits, MapNode over)
    {
        var merged = (MapNode)limits.Clone();
        foreach (var (name, limit) in over.Entries)
            merged.Set(name, limit.Clone());
        return merged;
    }

    private static MapNode MergeHealthcheck(MapNode check, MapNode over)
    {
        var merged = (MapNode)Merge(check, over);
        if (over["test"] is { } test)
            merged.Set("test", test.Clone());
        return merged;
    }

    /// <summary>Entries of <paramref name="over"/> replace those of <paramref name="existing"/> with the same key field, in place.</summary>
    private static SeqNode MergeKeyed(Node existing, Node over, string keyField)
    {
        var merged = new SeqNode(((SeqNode)existing).Items.Select(i => i.Clone()));
        foreach (var item in ((SeqNode)over).Items)
        {
            var key = (item as MapNode)?[keyField]?.ToString();
            var at = merged.Items.FindIndex(i => key is not null && (i as MapNode)?[keyField]?.ToString() == key);
            if (at >= 0)
                merged.Items[at] = item.Clone();
            else
                merged.Items.Add(item.Clone());
        }
        return merged;
    }

    /// <summary>The general rule: mappings key by key, sequences appended without repeating an equal entry, scalars replaced.</summary>
    public static Node Merge(Node existing, Node over)
    {
        switch (existing, over)
        {
            case (MapNode map, MapNode overMap):
                var merged = (MapNode)map.Clone();
                foreach (var (key, value) in overMap.Entries)
                    merged.Set(key, merged[key] is { } inner && value is not ScalarNode { IsNull: true } ? Merge(inner, value) : value.Clone());
                return merged;
            case (SeqNode seq, SeqNode overSeq):
                var items = seq.Items.Select(i => i.Clone()).ToList();
                items.AddRange(overSeq.Items.Where(o => !items.Any(i => YamlWriter.Same(i, o))).Select(o => o.Clone()));
                return new SeqNode(items);
            default:
                return over.Clone();
        }
    }
}
