using System.Globalization;

namespace Berth.Cli.Cli;

/// <summary>
/// docker's <c>timetypes.GetTimestamp</c> for <c>--since</c>/<c>--until</c>: a Go duration means that long before
/// now, a Unix time passes as is, a date (RFC3339 and shorter forms) becomes Unix seconds with nanoseconds.
/// </summary>
internal static class Timestamps
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH", "yyyy-MM-dd",
    ];

    /// <exception cref="FormatException">The value is none of those forms.</exception>
    public static string Resolve(string value, DateTimeOffset now)
    {
        if (value.Length == 0)
            return value;
        if (TryDuration(value, out var nanos))
            return Format(now.ToUnixTimeMilliseconds() * 1_000_000L - nanos);
        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _) && !value.Contains('-'))
            return value;
        var style = DateTimeStyles.AllowWhiteSpaces;
        style |= value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > 10 ? DateTimeStyles.AdjustToUniversal : DateTimeStyles.AssumeLocal;
        if (DateTimeOffset.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, style, out var date))
            return Format((date.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);
        throw new FormatException($"failed to parse value as time or duration: \"{value}\"");
    }

    private static bool TryDuration(string value, out long nanos)
    {
        try
        {
            nanos = ValueParsers.DurationNanos(value);
            return !decimal.TryParse(value, CultureInfo.InvariantCulture, out _);
        }
        catch (FormatException)
        {
            nanos = 0;
            return false;
        }
    }

    private static string Format(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000L, out var rest);
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + rest.ToString("000000000", CultureInfo.InvariantCulture);
    }
}
