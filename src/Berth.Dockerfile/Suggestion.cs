namespace Berth.Dockerfile;

/// <summary>BuildKit's "(did you mean X?)": the known name closest to a misspelt one, within an edit distance of 2.</summary>
internal static class Suggestion
{
    public static string Append(string message, string value, IEnumerable<string> options, bool caseSensitive)
    {
        var match = Closest(value, options, caseSensitive);
        return match is null ? message : $"{message} (did you mean {match}?)";
    }

    private static string? Closest(string value, IEnumerable<string> options, bool caseSensitive)
    {
        var compared = caseSensitive ? value : value.ToLowerInvariant();
        string? match = null;
        var best = 3;
        foreach (var option in options)
        {
            var candidate = caseSensitive ? option : option.ToLowerInvariant();
            if (candidate == compared)
            {
                return null;
            }
            var distance = Distance(compared, candidate);
            if (distance < best)
            {
                best = distance;
                match = caseSensitive ? candidate : MatchCase(candidate, value);
            }
        }
        return match;
    }

    /// <summary>The suggestion in the case the user wrote: all lower, all upper, or as listed.</summary>
    private static string MatchCase(string option, string original) =>
        original == original.ToLowerInvariant() ? option.ToLowerInvariant()
        : original == original.ToUpperInvariant() ? option.ToUpperInvariant()
        : option;

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
