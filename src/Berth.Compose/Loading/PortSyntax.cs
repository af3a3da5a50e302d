using System.Globalization;
using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// <c>ports</c> in both syntaxes, to Compose's long form (<c>mode</c>, <c>host_ip</c>, <c>target</c>,
/// <c>published</c> as a string, <c>protocol</c>). The short form is docker's <c>-p</c>:
/// <c>[[ip:][host[-end]]:]container[-end][/proto]</c>, a range giving one entry per port.
/// </summary>
public static class PortSyntax
{
    public static IEnumerable<MapNode> Normalize(Node entry, string file, string path) => entry switch
    {
        MapNode map => [Long(map, file, path)],
        ScalarNode s => Short(s.Value, file, path),
        _ => throw new ComposeException(file, path, "must be a string, a number or a mapping"),
    };

    private static MapNode Long(MapNode map, string file, string path)
    {
        var port = new MapNode();
        if (map.StringOrNull("name", file, path) is { } name)
            port.Set("name", ScalarNode.String(name));
        port.Set("mode", ScalarNode.String(map.StringOrNull("mode", file, path) ?? "ingress"));
        if (map.StringOrNull("host_ip", file, path) is { } ip)
            port.Set("host_ip", ScalarNode.String(ip));
        port.Set("target", ScalarNode.Number((map["target"] ?? throw new ComposeException(file, path, "target is required")).AsLong(file, path + ".target")));
        if (map.StringOrNull("published", file, path) is { Length: > 0 } published)
            port.Set("published", ScalarNode.String(published));
        port.Set("protocol", ScalarNode.String(map.StringOrNull("protocol", file, path) ?? "tcp"));
        if (map.StringOrNull("app_protocol", file, path) is { } app)
            port.Set("app_protocol", ScalarNode.String(app));
        return port;
    }

    private static IEnumerable<MapNode> Short(string spec, string file, string path)
    {
        var protocol = "tcp";
        var slash = spec.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..];
            spec = spec[..slash];
        }
        string? hostIp = null;
        if (spec.StartsWith('['))
        {
            var close = spec.IndexOf(']');
            hostIp = spec[1..close];
            spec = spec[(close + 2)..];
        }
        var parts = spec.Split(':');
        if (parts.Length > 3 || hostIp is not null && parts.Length > 2)
            throw new ComposeException(file, path, $"invalid port format: {spec}");
        if (parts.Length == 3)
            hostIp = parts[0];
        var target = Range(parts[^1], file, path);
        (int Start, int Count)? published = parts.Length > 1 && parts[^2].Length > 0 ? Range(parts[^2], file, path) : null;
        if (published is not null && published.Value.Count != target.Count && published.Value.Count != 1)
            throw new ComposeException(file, path, $"invalid ranges specified for container and host Ports: {spec}");
        for (var i = 0; i < target.Count; i++)
        {
            var port = new MapNode();
            port.Set("mode", ScalarNode.String("ingress"));
            if (hostIp is { Length: > 0 })
                port.Set("host_ip", ScalarNode.String(hostIp));
            port.Set("target", ScalarNode.Number(target.Start + i));
            if (published is { } p)
                port.Set("published", ScalarNode.String(p.Count == 1 && target.Count > 1
                    ? p.Start.ToString(CultureInfo.InvariantCulture)
                    : (p.Start + i).ToString(CultureInfo.InvariantCulture)));
            port.Set("protocol", ScalarNode.String(protocol));
            yield return port;
        }
    }

    private static (int Start, int Count) Range(string text, string file, string path)
    {
        var dash = text.IndexOf('-');
        var start = Number(dash < 0 ? text : text[..dash], file, path);
        var end = dash < 0 ? start : Number(text[(dash + 1)..], file, path);
        return end < start ? throw new ComposeException(file, path, $"invalid range specified for port: {text}") : (start, end - start + 1);
    }

    private static int Number(string text, string file, string path) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 65535
            ? n
            : throw new ComposeException(file, path, $"invalid port: {text}");
}
