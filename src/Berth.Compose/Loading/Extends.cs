using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// <c>extends</c>: a service built on another, in the same file or in <c>file</c> (its paths relative to that file),
/// the base first resolved itself and the extending service merged over it by the rules of an override file.
/// Services of other files come from <paramref name="servicesOf"/>, already in canonical form.
/// </summary>
public sealed class Extends(Func<string, MapNode> servicesOf)
{
    /// <summary>The canonical <c>extends</c>: <c>{service, file}</c>, the file absolute (none for the same file).</summary>
    public static MapNode Normalize(Node value, string file, string path, PathResolver paths)
    {
        var extends = new MapNode();
        if (value is ScalarNode)
        {
            extends.Set("service", ScalarNode.String(value.AsString(file, path)));
            return extends;
        }
        var map = value.AsMap(file, path);
        extends.Set("service", ScalarNode.String(map.StringOrNull("service", file, path) ?? throw new ComposeException(file, path, "service is required")));
        if (map.StringOrNull("file", file, path) is { } other)
            extends.Set("file", ScalarNode.String(paths.Resolve(other)));
        return extends;
    }

    /// <summary>Resolves every service of <paramref name="services"/> (one file's) in place.</summary>
    public void Apply(MapNode services, string file)
    {
        foreach (var name in services.Entries.Keys.ToList())
            services.Set(name, Resolve(name, services, file, []));
    }

    private MapNode Resolve(string name, MapNode services, string file, List<(string File, string Service)> chain)
    {
        var service = (MapNode)services[name]!;
        if (service["extends"] is not MapNode extends)
            return service;
        if (chain.Contains((file, name)))
            throw new ComposeException("Circular reference:\n" + string.Join("\n",
                chain.Append((File: file, Service: name)).Select((r, i) => $"  {(i == 0 ? "" : "extends ")}{r.Service} in {r.File}")));
        var reference = extends["service"]!.ToString();
        var baseFile = extends["file"]?.ToString();
        var baseServices = baseFile is null ? services : servicesOf(baseFile);
        if (baseServices[reference] is not MapNode)
            throw new ComposeException(baseFile is null
                ? $"cannot extend service \"{name}\" in {file}: service \"{reference}\" not found"
                : $"cannot extend service \"{name}\" in {file}: service \"{reference}\" not found in {baseFile}");
        var baseService = Resolve(reference, baseServices, baseFile ?? file, [.. chain, (file, name)]);
        var own = (MapNode)service.Clone();
        own.Entries.Remove("extends");
        var merged = Merger.MergeService((MapNode)baseService.Clone(), own);
        services.Set(name, merged);
        return merged;
    }
}
