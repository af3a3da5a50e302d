using System.Globalization;
using Berth.Api.Models.Containers;

namespace Berth.Cli.Formatting;

/// <summary>The PORTS column: consecutive ports grouped into ranges, then the host mappings that differ.</summary>
internal static class Ports
{
    public static string Display(IEnumerable<Port> ports)
    {
        var sorted = ports.OrderBy(p => p.PrivatePort).ThenBy(p => p.IP ?? "", StringComparer.Ordinal)
            .ThenBy(p => p.PublicPort ?? 0).ThenBy(p => p.Type, StringComparer.Ordinal).ToList();
        var groups = new Dictionary<string, (int First, int Last)>();
        var order = new List<string>();
        var result = new List<string>();
        var hostMappings = new List<string>();
        foreach (var port in sorted)
        {
            int current = port.PrivatePort;
            var key = port.Type;
            if (!string.IsNullOrEmpty(port.IP))
            {
                var publicPort = port.PublicPort ?? 0;
                if (publicPort != current)
                {
                    var host = port.IP.Contains(':') ? $"[{port.IP}]:{publicPort}" : $"{port.IP}:{publicPort}";
                    hostMappings.Add($"{host}->{port.PrivatePort}/{port.Type}");
                    continue;
                }
                key = $"{port.IP}/{port.Type}";
            }
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = (current, current);
                order.Add(key);
                continue;
            }
            if (current == group.Last + 1)
            {
                groups[key] = (group.First, current);
                continue;
            }
            result.Add(FormGroup(key, group.First, group.Last));
            groups[key] = (current, current);
        }
        foreach (var key in order)
            result.Add(FormGroup(key, groups[key].First, groups[key].Last));
        result.AddRange(hostMappings);
        return string.Join(", ", result);
    }

    private static string FormGroup(string key, int first, int last)
    {
        var slash = key.LastIndexOf('/');
        var ip = slash >= 0 ? key[..slash] : "";
        var type = slash >= 0 ? key[(slash + 1)..] : key;
        var group = first.ToString(CultureInfo.InvariantCulture) + (first != last ? "-" + last.ToString(CultureInfo.InvariantCulture) : "");
        if (ip.Length > 0)
            group = $"{ip}:{group}->{group}";
        return group + "/" + type;
    }
}
