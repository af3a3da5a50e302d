namespace Berth.Engine;

/// <summary>Docker's <c>label</c> filter: <c>k</c> matches a label's presence, <c>k=v</c> its value.</summary>
public static class LabelFilter
{
    public static bool Matches(IReadOnlyDictionary<string, string> labels, string filter)
    {
        var eq = filter.IndexOf('=');
        if (eq < 0) return labels.ContainsKey(filter);
        return labels.TryGetValue(filter[..eq], out var value) && value == filter[(eq + 1)..];
    }
}
