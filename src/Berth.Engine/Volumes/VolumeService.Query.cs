using System.Text.RegularExpressions;

namespace Berth.Engine.Volumes;

public sealed partial class VolumeService
{
    private static readonly string[] ListFilters = ["name", "driver", "label", "label!", "dangling"];
    private int _pruneRunning;

    /// <summary>
    /// Docker's volume ls filters: <c>name</c> (a substring or regular expression), <c>driver</c>, <c>label</c>,
    /// <c>label!</c> and <c>dangling</c> (referenced by no container). Sorted by name.
    /// </summary>
    public IReadOnlyList<Volume> List(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        foreach (var key in filters.Keys)
            if (!ListFilters.Contains(key)) throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}'");
        var dangling = FilterArgs.Bool(filters, "dangling");
        var names = filters.GetValueOrDefault("name") ?? [];
        var drivers = filters.GetValueOrDefault("driver") ?? [];
        var labels = filters.GetValueOrDefault("label") ?? [];
        var notLabels = filters.GetValueOrDefault("label!") ?? [];
        return [.. _volumes.Values
            .Where(v => names.Count == 0 || names.Any(n => NameMatches(v.Name, n)))
            .Where(v => drivers.Count == 0 || drivers.Contains(v.Driver))
            .Where(v => labels.All(l => LabelFilter.Matches(v.Labels, l)))
            .Where(v => notLabels.Count == 0 || !notLabels.Any(l => LabelFilter.Matches(v.Labels, l)))
            .Where(v => dangling is null || dangling == (References(v.Name).Count == 0))
            .OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Docker's volume prune (API ≥ 1.42): unused local volumes without mount options; only anonymous ones unless
    /// the <c>all</c> filter is true; <c>label</c>/<c>label!</c> narrow it. Returns the names and the bytes freed.
    /// </summary>
    public (IReadOnlyList<string> Deleted, long SpaceReclaimed) Prune(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        foreach (var key in filters.Keys)
            if (key is not ("label" or "label!" or "all")) throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}'");
        if (filters.GetValueOrDefault("all") is { Count: > 1 } several)
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter 'all=[{string.Join(' ', several)}]': only one value is expected");
        var all = FilterArgs.Bool(filters, "all") ?? false;
        var filter = PruneFilter.Parse(new Dictionary<string, IReadOnlyList<string>>(filters.Where(f => f.Key != "all")), DateTimeOffset.UtcNow);
        if (Interlocked.Exchange(ref _pruneRunning, 1) == 1)
            throw new EngineException(ErrorKind.Conflict, "a prune operation is already running");
        try
        {
            var deleted = new List<string>();
            long reclaimed = 0;
            var candidates = _volumes.Values
                .Where(v => v.Options.Count == 0 && (all || v.IsAnonymous) && References(v.Name).Count == 0)
                .Where(v => filter.Matches(v.Labels, v.CreatedAt))
                .OrderBy(v => v.Name, StringComparer.Ordinal)
                .ToList();
            foreach (var volume in candidates)
            {
                var size = Size(volume);
                try
                {
                    Remove(volume.Name, force: false);
                }
                catch (EngineException)
                {
                    continue; // taken by a container meanwhile, or the driver failed: kept, as moby keeps it
                }
                deleted.Add(volume.Name);
                reclaimed += size;
            }
            _events.Publish("volume", "prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString() });
            return (deleted, reclaimed);
        }
        finally
        {
            Volatile.Write(ref _pruneRunning, 0);
        }
    }

    /// <summary>
    /// Local volumes with their users and size (<c>system df</c>); as moby, not those with mount options: their data
    /// lives elsewhere.
    /// </summary>
    public IReadOnlyList<VolumeUsage> Usage() =>
        [.. _volumes.Values.Where(v => v.Options.Count == 0).OrderBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => new VolumeUsage(v, References(v.Name), Size(v)))];

    /// <summary>moby matches a name filter as a regular expression against the name (so a plain word is a substring).</summary>
    private static bool NameMatches(string name, string filter)
    {
        try
        {
            return Regex.IsMatch(name, filter, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return name.Contains(filter, StringComparison.Ordinal);
        }
    }
}
