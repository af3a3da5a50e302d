namespace Berth.Cli.Commands.Network;

/// <summary>
/// The value rules of docker's network flags (its <c>opts</c> package): string slices split on commas, <c>map</c>
/// flags of <c>key=value</c>, labels and links validated as they are given. A <see cref="FormatException"/> from
/// these becomes pflag's <c>invalid argument "v" for "--flag" flag: …</c>.
/// </summary>
internal static class NetworkFlagValues
{
    /// <summary>pflag's <c>StringSlice</c>: one value may carry several, comma-separated; an empty value adds none.</summary>
    public static IEnumerable<string> Slice(string value) => value.Length == 0 ? [] : value.Split(',');

    /// <summary><c>opts.MapOpts</c>: <c>key=value</c>, or <c>key</c> alone for an empty value; the last one given wins.</summary>
    public static void SetMapEntry(Dictionary<string, string> map, string value)
    {
        var eq = value.IndexOf('=');
        map[eq >= 0 ? value[..eq] : value] = eq >= 0 ? value[(eq + 1)..] : "";
    }

    /// <summary><c>opts.ValidateLabel</c>.</summary>
    public static string Label(string value)
    {
        var eq = value.IndexOf('=');
        var key = (eq >= 0 ? value[..eq] : value).TrimStart(' ', '\t');
        if (key.Length == 0)
            throw new FormatException($"invalid label '{value}': empty name");
        if (key.IndexOfAny([' ', '\t']) >= 0)
            throw new FormatException($"label '{key}' contains whitespaces");
        return value;
    }

    /// <summary><c>opts.ValidateLink</c>: <c>name[:alias]</c>.</summary>
    public static string Link(string value)
    {
        if (value.Length == 0)
            throw new FormatException("empty string specified for links");
        if (value.Split(':').Length > 2)
            throw new FormatException($"bad format for links: {value}");
        return value;
    }

    /// <summary><c>opts.ConvertKVStringsToMap</c>: labels into the map the API takes.</summary>
    public static Dictionary<string, string> ToMap(IEnumerable<string> entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
            SetMapEntry(map, entry);
        return map;
    }
}
