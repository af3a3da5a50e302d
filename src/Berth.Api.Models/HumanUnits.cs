namespace Berth.Api.Models;

/// <summary>
/// Docker's human-readable durations and sizes (the go-units package's rules), shared by the daemon's status texts
/// (<c>Up 3 seconds</c>) and the CLI's columns (<c>About a minute ago</c>, <c>4.26MB</c>).
/// </summary>
public static class HumanUnits
{
    public static string Duration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)(d.TotalHours / 24 / 365)} years";
    }

    /// <summary>
    /// Decimal units with at most <paramref name="precision"/> significant digits: go-units' HumanSize is 4, the CLI's
    /// image sizes use 3 (<c>4.26MB</c>).
    /// </summary>
    public static string Size(double bytes, int precision = 4)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        var i = 0;
        while (bytes >= 1000 && i < units.Length - 1)
        {
            bytes /= 1000;
            i++;
        }
        return FormatSignificant(bytes, precision) + units[i];
    }

    /// <summary>Go's <c>%.4g</c>: up to <paramref name="digits"/> significant digits, no trailing zeros.</summary>
    private static string FormatSignificant(double value, int digits)
    {
        if (value == 0) return "0";
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value))) + 1;
        var decimals = Math.Max(0, digits - magnitude);
        var text = Math.Round(value, decimals).ToString("F" + decimals, global::System.Globalization.CultureInfo.InvariantCulture);
        return text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
    }
}
