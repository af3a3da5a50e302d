using System.Text.RegularExpressions;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private static readonly string[] ListFilters = ["id", "name", "label", "status", "exited", "ancestor", "health", "before", "since", "network", "volume", "publish", "expose", "isolation", "is-task"];

    /// <summary>
    /// Docker's container list: running ones (all with <paramref name="all"/>), newest first, after the filters
    /// (every key must match; values of one key are alternatives, except labels, which must all match).
    /// </summary>
    public async Task<IReadOnlyList<Container>> ListAsync(
        bool all, int? limit, IReadOnlyDictionary<string, IReadOnlyList<string>> filters, CancellationToken cancellationToken = default)
    {
        foreach (var key in filters.Keys)
            if (!ListFilters.Contains(key)) throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}'");
        foreach (var status in filters.GetValueOrDefault("status") ?? [])
            if (!Enum.TryParse<ContainerStatus>(status, ignoreCase: true, out _))
                throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter 'status={status}'");

        var showAll = all || filters.ContainsKey("status") || filters.ContainsKey("exited") || limit > 0;
        IEnumerable<Container> result = _byId.Values.OrderByDescending(c => c.Created);
        if (filters.GetValueOrDefault("before") is [var before, ..])
        {
            var created = Get(before).Created;
            result = result.Where(c => c.Created < created);
        }
        if (filters.GetValueOrDefault("since") is [var since, ..])
        {
            var created = Get(since).Created;
            result = result.Where(c => c.Created > created);
        }
        var ancestors = new HashSet<string>();
        foreach (var reference in filters.GetValueOrDefault("ancestor") ?? [])
        {
            try
            {
                ancestors.Add((await _images.ResolveAsync(reference, cancellationToken)).Id);
            }
            catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
            {
            }
        }
        result = result.Where(c => (showAll || c.State.IsRunning) && Matches(c, filters, ancestors));
        if (limit > 0) result = result.Take(limit.Value);
        return [.. result];
    }

    private static bool Matches(Container c, IReadOnlyDictionary<string, IReadOnlyList<string>> filters, HashSet<string> ancestors)
    {
        foreach (var (key, values) in filters)
        {
            if (values.Count == 0) continue;
            var ok = key switch
            {
                "id" => values.Any(v => FilterMatches(v, c.Id)),
                "name" => values.Any(v => FilterMatches(v, c.Name)),
                "label" => values.All(v => LabelFilter.Matches(c.Config.Labels, v)),
                "status" => values.Any(v => string.Equals(v, c.State.Status.ToString(), StringComparison.OrdinalIgnoreCase)),
                "exited" => c.State.Status == ContainerStatus.Exited && values.Any(v => v == c.State.ExitCode.ToString()),
                "ancestor" => ancestors.Contains(c.ImageId) || values.Contains(c.Config.Image),
                "health" => values.Any(v => v == (c.State.Health?.Status ?? "none")),
                "before" or "since" => true,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>
    /// moby's filter Match: the value itself, or an unanchored regular expression over it (a name keeps its leading
    /// '/': <c>name=^/web$</c> is exactly "web"); a value that is no regular expression matches nothing more.
    /// </summary>
    internal static bool FilterMatches(string pattern, string value)
    {
        if (pattern == value) return true;
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
