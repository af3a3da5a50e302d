namespace Berth.Engine.Events;

/// <summary>
/// Something that happened to an object: Docker's event (type <c>container</c>, <c>image</c>…, action <c>start</c>,
/// <c>die</c>…, the actor's id and attributes: for containers its name, image and labels).
/// </summary>
public sealed record EngineEvent(
    string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, DateTime Time)
{
    /// <summary>Docker's legacy <c>from</c>: the image of a container event, else null.</summary>
    public string? From => Type == "container" && Attributes.TryGetValue("image", out var image) ? image : null;

    public long TimeNano => (Time - DateTime.UnixEpoch).Ticks * 100;
}

/// <summary>
/// Docker's event filters: every named key must match (values of one key are alternatives).
/// Keys: type, event, container, image, label (<c>k</c> or <c>k=v</c>, all must match), network, volume, daemon.
/// </summary>
public sealed class EventFilter(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
{
    public static readonly EventFilter All = new(new Dictionary<string, IReadOnlyList<string>>());

    public bool Matches(EngineEvent e)
    {
        foreach (var (key, values) in filters)
        {
            if (values.Count == 0) continue;
            var ok = key switch
            {
                "type" => values.Contains(e.Type),
                "event" => values.Any(v => v == e.Action || e.Action.StartsWith(v + ":", StringComparison.Ordinal)),
                "container" => e.Type == "container" && values.Any(v => ActorMatches(e, v)),
                "image" => (e.Type == "image" && values.Any(v => ActorMatches(e, v))) ||
                           (e.Type == "container" && e.From is { } from && values.Contains(from)),
                "network" => e.Type == "network" && values.Any(v => ActorMatches(e, v)),
                "volume" => e.Type == "volume" && values.Any(v => ActorMatches(e, v)),
                "daemon" => e.Type == "daemon" && values.Any(v => ActorMatches(e, v)),
                "label" => values.All(v => LabelFilter.Matches(e.Attributes, v)),
                _ => throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}'"),
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool ActorMatches(EngineEvent e, string value) =>
        e.ActorId == value || e.ActorId.StartsWith(value, StringComparison.Ordinal) ||
        (e.Attributes.TryGetValue("name", out var name) && name == value.TrimStart('/'));

}
