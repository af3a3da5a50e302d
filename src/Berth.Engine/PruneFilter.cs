namespace Berth.Engine;

/// <summary>
/// Docker's prune filters, common to every object a prune removes: <c>until</c> (created before that time),
/// <c>label</c> (every one given matches) and <c>label!</c> (not all given match). A key the prune does not know
/// is refused before anything is removed, as moby refuses it.
/// </summary>
public sealed class PruneFilter
{
    private readonly IReadOnlyList<string> _labels;
    private readonly IReadOnlyList<string> _notLabels;

    private PruneFilter(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, DateTimeOffset now)
    {
        _labels = filters.GetValueOrDefault("label") ?? [];
        _notLabels = filters.GetValueOrDefault("label!") ?? [];
        if (filters.GetValueOrDefault("until") is { } until)
        {
            if (until.Count > 1) throw new EngineException(ErrorKind.InvalidArgument, "more than one until filter specified");
            if (until.Count == 1) Until = GoTimestamp.Parse(until[0], now);
        }
    }

    /// <summary>Objects created after this time are kept.</summary>
    public DateTimeOffset? Until { get; }

    /// <summary>Reads <paramref name="filters"/>, accepting <c>until</c>, <c>label</c>, <c>label!</c> and <paramref name="extraKeys"/>.</summary>
    public static PruneFilter Parse(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, DateTimeOffset now, params ReadOnlySpan<string> extraKeys)
    {
        foreach (var key in filters.Keys)
            if (key is not ("until" or "label" or "label!") && !extraKeys.Contains(key))
                throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}'");
        return new PruneFilter(filters, now);
    }

    /// <summary>Whether an object with these labels, created then, is to be pruned.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels, DateTimeOffset created)
    {
        if (Until is { } until && created > until) return false;
        if (!_labels.All(l => LabelFilter.Matches(labels, l))) return false;
        return _notLabels.Count == 0 || !_notLabels.All(l => LabelFilter.Matches(labels, l));
    }
}
