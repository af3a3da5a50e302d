namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// <c>GET /networks</c> with moby's filters: <c>driver</c>, <c>id</c> and <c>name</c> (a value or an unanchored
    /// pattern), <c>label</c>, <c>scope</c>, <c>type</c> (<c>custom</c>, <c>builtin</c>) and <c>dangling</c> (no
    /// endpoints, not predefined). An unknown key is refused.
    /// </summary>
    public IReadOnlyList<NetworkRecord> List(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        FilterArgs.Validate(filters, ["driver", "id", "name", "label", "scope", "type", "dangling"]);
        if (filters.GetValueOrDefault("type") is { } types && types.FirstOrDefault(t => t is not ("custom" or "builtin")) is { } badType)
            throw Invalid($"invalid filter: 'type'='{badType}'");
        var dangling = FilterArgs.Bool(filters, "dangling");
        lock (_lock)
        {
            return [.. _networks.Values.Where(n => Matches(n, filters, dangling)).Select(n => n.Record).OrderBy(n => n.Name, StringComparer.Ordinal)];
        }
    }

    private static bool Matches(LiveNetwork network, IReadOnlyDictionary<string, IReadOnlyList<string>> filters, bool? dangling)
    {
        var n = network.Record;
        foreach (var (key, values) in filters)
        {
            var ok = key switch
            {
                "driver" => values.Contains(n.Driver),
                "id" => values.Any(v => FilterArgs.Matches(v, n.Id)),
                "name" => values.Any(v => FilterArgs.Matches(v, n.Name)),
                "label" => values.All(v => LabelFilter.Matches(n.Labels, v)),
                "scope" => values.Contains("local"),
                "type" => values.Contains(n.IsPredefined ? "builtin" : "custom"),
                "dangling" => dangling == (!n.IsPredefined && network.Members.Count == 0),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
