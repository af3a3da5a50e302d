using System.Text.RegularExpressions;

namespace Berth.Engine;

/// <summary>
/// moby's filter arguments (<c>daemon/internal/filters</c>): how list filters match a value and read a boolean, with its
/// error texts, shared by the container and image lists.
/// </summary>
public static class FilterArgs
{
    /// <summary>
    /// moby's <c>Match</c>: the value itself, or an unanchored regular expression over it; a value that is no regular
    /// expression matches nothing more.
    /// </summary>
    public static bool Matches(string pattern, string value)
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

    /// <summary>
    /// moby's <c>GetBoolOrDefault</c>: null when <paramref name="key"/> is absent; otherwise its values must say exactly
    /// one of true (<c>true</c>, <c>1</c>) or false (<c>false</c>, <c>0</c>).
    /// </summary>
    /// <exception cref="EngineException">InvalidArgument: <c>invalid filter 'key=[values]'</c>.</exception>
    public static bool? Bool(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, string key)
    {
        if (!filters.TryGetValue(key, out var values)) return null;
        if (values.Count == 0) throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}'");
        var isTrue = values.Any(v => v is "true" or "1");
        var isFalse = values.Any(v => v is "false" or "0");
        if (isTrue == isFalse) // Go prints the values as a slice: [a b]
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}=[{string.Join(' ', values)}]'");
        return isTrue;
    }

    /// <summary>moby's <c>Validate</c>: every key must be one the list knows.</summary>
    /// <exception cref="EngineException">InvalidArgument: <c>invalid filter 'key'</c>.</exception>
    public static void Validate(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, IReadOnlyCollection<string> accepted)
    {
        foreach (var key in filters.Keys)
            if (!accepted.Contains(key)) throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter '{key}'");
    }
}
