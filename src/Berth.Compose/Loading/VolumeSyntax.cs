using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// A service's <c>volumes</c> entry in both syntaxes, to Compose's long form (<c>type</c>, <c>source</c>,
/// <c>target</c>, <c>read_only</c>, <c>bind</c>/<c>volume</c>/<c>tmpfs</c> options). In the short form
/// <c>SOURCE:TARGET[:MODE]</c> a source that starts with <c>/</c>, <c>.</c> or <c>~</c> is a host path (made absolute
/// against the project directory), any other a named volume; a lone <c>TARGET</c> is an anonymous volume.
/// </summary>
public sealed class VolumeSyntax(PathResolver paths)
{
    public MapNode Normalize(Node entry, string file, string path) => entry switch
    {
        MapNode map => Long(map, file, path),
        ScalarNode s => Short(s.Value, file, path),
        _ => throw new ComposeException(file, path, "must be a string or a mapping"),
    };

    private MapNode Short(string spec, string file, string path)
    {
        var parts = spec.Split(':');
        var volume = new MapNode();
        if (parts.Length == 1)
        {
            volume.Set("type", ScalarNode.String("volume"));
            volume.Set("target", ScalarNode.String(spec));
            volume.Set("volume", new MapNode());
            return volume;
        }
        if (parts.Length > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new ComposeException(file, path, $"invalid spec: {spec}: too many colons");
        var modes = parts.Length == 3 ? parts[2].Split(',') : [];
        var bind = IsPath(parts[0]);
        volume.Set("type", ScalarNode.String(bind ? "bind" : "volume"));
        volume.Set("source", ScalarNode.String(bind ? paths.Resolve(parts[0]) : parts[0]));
        volume.Set("target", ScalarNode.String(parts[1]));
        if (modes.Contains("ro"))
            volume.Set("read_only", ScalarNode.Bool(true));
        var options = new MapNode();
        if (bind)
        {
            if (modes.FirstOrDefault(m => m is "z" or "Z") is { } selinux)
                options.Set("selinux", ScalarNode.String(selinux));
            if (modes.FirstOrDefault(m => m.EndsWith("private", StringComparison.Ordinal) || m.EndsWith("shared", StringComparison.Ordinal) || m.EndsWith("slave", StringComparison.Ordinal)) is { } propagation)
                options.Set("propagation", ScalarNode.String(propagation));
            options.Set("create_host_path", ScalarNode.Bool(true));
        }
        else if (modes.Contains("nocopy"))
            options.Set("nocopy", ScalarNode.Bool(true));
        volume.Set(bind ? "bind" : "volume", options);
        return volume;
    }

    private MapNode Long(MapNode map, string file, string path)
    {
        var type = map.StringOrNull("type", file, path) ?? throw new ComposeException(file, path, "type is required");
        if (type is not ("bind" or "volume" or "tmpfs" or "npipe" or "cluster" or "image"))
            throw new ComposeException(file, path + ".type", $"must be one of bind, volume, tmpfs, image: {type}");
        var volume = new MapNode();
        volume.Set("type", ScalarNode.String(type));
        if (map.StringOrNull("source", file, path) is { Length: > 0 } source)
            volume.Set("source", ScalarNode.String(type == "bind" ? paths.Resolve(source) : source));
        volume.Set("target", ScalarNode.String(map.StringOrNull("target", file, path) ?? throw new ComposeException(file, path, "target is required")));
        if (map["read_only"] is { } readOnly && readOnly.AsBool(file, path + ".read_only"))
            volume.Set("read_only", ScalarNode.Bool(true));
        foreach (var key in new[] { "consistency", "bind", "volume", "tmpfs", "image" })
            if (map[key] is { } value)
                volume.Set(key, value.Clone());
        return volume;
    }

    private static bool IsPath(string source) => source[0] is '/' or '.' or '~';
}

/// <summary>Relative host paths made absolute against a base directory, <c>~</c> against the user's home.</summary>
public sealed class PathResolver(string baseDirectory, string? home)
{
    public string BaseDirectory { get; } = baseDirectory;

    public string Resolve(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = (home ?? "/") + path[1..];
        return Path.GetFullPath(path, BaseDirectory);
    }
}
