using System.Globalization;

namespace Berth.Cli.Formatting;

/// <summary>Small text rules shared by the formatters, as docker's CLI applies them.</summary>
internal static class Text
{
    /// <summary>docker's <c>stringid.TruncateID</c>: drops an algorithm prefix, keeps 12 characters.</summary>
    public static string TruncateId(string id)
    {
        var colon = id.IndexOf(':');
        if (colon >= 0)
            id = id[(colon + 1)..];
        return id.Length > 12 ? id[..12] : id;
    }

    /// <summary>Truncates to <paramref name="width"/> text elements, the last being <c>…</c>.</summary>
    public static string Ellipsis(string text, int width)
    {
        var info = new StringInfo(text);
        if (info.LengthInTextElements <= width)
            return text;
        return width <= 1 ? "…"[..width] : info.SubstringByTextElements(0, width - 1) + "…";
    }

    /// <summary>Container names without their leading <c>/</c>.</summary>
    public static string StripSlash(string name) => name.StartsWith('/') ? name[1..] : name;

    /// <summary>Go's time format <c>2006-01-02 15:04:05 -0700 MST</c> in local time.</summary>
    public static string GoTime(DateTimeOffset time)
    {
        var local = time.ToLocalTime();
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        var zone = offset == TimeSpan.Zero ? "UTC" : $"{sign}{abs.Hours:00}{(abs.Minutes == 0 ? "" : abs.Minutes.ToString("00", CultureInfo.InvariantCulture))}";
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + $" {sign}{abs.Hours:00}{abs.Minutes:00} {zone}";
    }

    /// <summary>Go's <c>time.RFC3339</c>, <c>2006-01-02T15:04:05Z07:00</c>, in local time (<c>Z</c> for UTC).</summary>
    public static string Rfc3339(DateTimeOffset time)
    {
        var local = time.ToLocalTime();
        var offset = local.Offset == TimeSpan.Zero ? "Z" : local.ToString("zzz", CultureInfo.InvariantCulture);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + offset;
    }

    /// <summary>Go's <c>2006-01-02T15:04:05.000000000Z07:00</c> (RFC3339NanoFixed) in local time.</summary>
    public static string Rfc3339NanoFixed(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000L, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }
        var local = DateTimeOffset.FromUnixTimeSeconds(seconds).ToLocalTime();
        var offset = local.Offset == TimeSpan.Zero ? "Z" : local.ToString("zzz", CultureInfo.InvariantCulture);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("000000000", CultureInfo.InvariantCulture) + offset;
    }

    /// <summary>go-units' <c>HumanDuration</c> of now minus <paramref name="time"/>, with <c> ago</c>.</summary>
    public static string Ago(DateTimeOffset time, TimeProvider clock) =>
        Berth.Api.Models.HumanUnits.Duration(clock.GetUtcNow() - time) + " ago";

    /// <summary>go-units' <c>HumanSizeWithPrecision(size, 3)</c>: decimal units, 3 significant digits (<c>4.26MB</c>).</summary>
    public static string Size(long bytes) => Berth.Api.Models.HumanUnits.Size(bytes, 3);
}
