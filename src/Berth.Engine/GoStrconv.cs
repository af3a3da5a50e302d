namespace Berth.Engine;

/// <summary>Go's strconv.ParseBool, which Docker uses for every boolean option it reads from text.</summary>
public static class GoStrconv
{
    /// <summary>true for 1, t, T, TRUE, true, True; false for their opposites; null for anything else.</summary>
    public static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
