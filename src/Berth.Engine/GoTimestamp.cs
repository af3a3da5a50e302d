using System.Globalization;

namespace Berth.Engine;

/// <summary>
/// The times a filter value may carry, read as moby's <c>GetTimestamp</c> reads them: a Go duration (<c>10m</c>,
/// <c>1h30m</c>) before a reference time; Unix seconds with an optional fraction; or an RFC 3339-like date, in the
/// reference's zone when it names none.
/// </summary>
public static class GoTimestamp
{
    private static readonly string[] ZonedFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HHK", "yyyy-MM-ddK"];

    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH", "yyyy-MM-dd"];

    /// <summary>The instant <paramref name="value"/> names, or an <see cref="ErrorKind.InvalidArgument"/> failure.</summary>
    public static DateTimeOffset Parse(string value, DateTimeOffset reference)
    {
        if (value != "0" && TryParseDuration(value, out var duration)) return reference - duration;
        var zoned = value.AsSpan().IndexOfAny("zZ+") >= 0 || value.Count(c => c == '-') == 3;
        if (zoned && DateTimeOffset.TryParseExact(value.Replace('z', 'Z'), ZonedFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return at;
        if (!zoned && DateTime.TryParseExact(value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return new DateTimeOffset(local, reference.Offset);
        if (value.Contains('-')) throw new EngineException(ErrorKind.InvalidArgument, $"parsing time \"{value}\": cannot parse as a date");
        if (TryParseUnix(value, out var unix)) return unix;
        throw new EngineException(ErrorKind.InvalidArgument, $"failed to parse value as time or duration: \"{value}\"");
    }

    /// <summary>Go's <c>time.ParseDuration</c>: signed decimal numbers, each with a unit (ns, us, µs, ms, s, m, h).</summary>
    public static bool TryParseDuration(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var text = value.AsSpan();
        var negative = text.StartsWith("-");
        if (negative || text.StartsWith("+")) text = text[1..];
        if (text is "0") return true;
        if (text.IsEmpty) return false;
        decimal ticks = 0;
        while (!text.IsEmpty)
        {
            var numberLength = text.IndexOfAnyExcept("0123456789.");
            if (numberLength <= 0) return false;
            if (!decimal.TryParse(text[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            text = text[numberLength..];
            var unitLength = text.IndexOfAny("0123456789.");
            var unit = unitLength < 0 ? text : text[..unitLength];
            text = text[unit.Length..];
            var perUnit = UnitTicks(unit);
            if (perUnit == 0) return false;
            ticks += number * perUnit;
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    private static decimal UnitTicks(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 0.01m,
        "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        "h" => TimeSpan.TicksPerHour,
        _ => 0,
    };

    /// <summary>Unix seconds with up to nine digits of fraction: <c>1700000000</c>, <c>1700000000.5</c>.</summary>
    private static bool TryParseUnix(string value, out DateTimeOffset at)
    {
        at = default;
        var parts = value.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || parts.Length == 2 && parts[1].Length is 0 or > 9) return false;
        if (!long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) return false;
        long nanoseconds = 0;
        if (parts.Length == 2 && !long.TryParse(parts[1].PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture, out nanoseconds))
            return false;
        try
        {
            at = DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(nanoseconds / 100);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
