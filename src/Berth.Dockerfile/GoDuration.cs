using System.Globalization;

namespace Berth.Dockerfile;

/// <summary>Go's <c>time.ParseDuration</c>: <c>[-+]</c> then numbers with units <c>ns us µs ms s m h</c> (<c>1h30m</c>, <c>1.5s</c>), or <c>0</c>.</summary>
internal static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>The duration, or throws with Go's message (<c>time: invalid duration "x"</c>…).</summary>
    public static TimeSpan Parse(string text)
    {
        var quoted = $"\"{text}\"";
        var s = text;
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }
        if (s == "0")
        {
            return TimeSpan.Zero;
        }
        if (s.Length == 0)
        {
            throw Invalid(quoted);
        }
        double ticks = 0;
        while (s.Length > 0)
        {
            var numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
            {
                numberEnd++;
            }
            var number = s[..numberEnd];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1)
            {
                throw Invalid(quoted);
            }
            s = s[numberEnd..];
            var unitEnd = 0;
            while (unitEnd < s.Length && s[unitEnd] != '.' && !char.IsAsciiDigit(s[unitEnd]))
            {
                unitEnd++;
            }
            if (unitEnd == 0)
            {
                throw new DockerfileException(0, $"time: missing unit in duration {quoted}");
            }
            var unit = s[..unitEnd];
            s = s[unitEnd..];
            var scale = Array.Find(Units, u => u.Unit == unit).Ticks;
            if (scale == 0)
            {
                throw new DockerfileException(0, $"time: unknown unit \"{unit}\" in duration {quoted}");
            }
            ticks += double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * scale;
        }
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            throw Invalid(quoted);
        }
        return TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
    }

    private static DockerfileException Invalid(string quoted) => new(0, $"time: invalid duration {quoted}");
}
