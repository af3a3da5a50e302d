using System.Globalization;
using Berth.Api.Models;
using Berth.Api.Models.Streams;

namespace Berth.Cli.Formatting;

/// <summary>
/// A layer's progress as docker's <c>JSONProgress.String</c> draws it from <c>progressDetail</c>: a 50-column bar with
/// its trailing <c>&gt;</c> only on terminals wider than 110 columns, then <c>current/total</c>, then the time left
/// on terminals wider than 50 columns (when the daemon sent the start time).
/// </summary>
internal static class ProgressBar
{
    /// <summary>docker's width when the terminal's cannot be read.</summary>
    public const int UnknownWidth = 200;

    public static string Render(JsonProgress progress, int width, DateTimeOffset now)
    {
        if (progress.Current <= 0 && progress.Total <= 0)
            return "";
        if (progress.Total <= 0)
            return string.IsNullOrEmpty(progress.Units)
                ? HumanUnits.Size(progress.Current).PadLeft(8)
                : $"{progress.Current} {progress.Units}";
        var percentage = Math.Min((int)((double)progress.Current / progress.Total * 100) / 2, 50);
        var bar = width > 110 ? $"[{new string('=', percentage)}>{new string(' ', Math.Max(50 - percentage, 0))}] " : "";
        var numbers = "";
        if (!progress.HideCounts)
        {
            numbers = string.IsNullOrEmpty(progress.Units)
                ? progress.Current > progress.Total ? HumanUnits.Size(progress.Current).PadLeft(8) : $"{HumanUnits.Size(progress.Current),8}/{HumanUnits.Size(progress.Total)}"
                : progress.Current > progress.Total ? $"{progress.Current} {progress.Units}" : $"{progress.Current}/{progress.Total} {progress.Units}";
        }
        var timeLeft = "";
        if (width > 50 && progress.Current > 0 && progress.Start > 0 && percentage < 50)
        {
            var elapsed = now - DateTimeOffset.FromUnixTimeSeconds(progress.Start);
            var left = TimeSpan.FromTicks(elapsed.Ticks / progress.Current * (progress.Total - progress.Current));
            timeLeft = " " + GoDuration(TimeSpan.FromSeconds(Math.Round(left.TotalSeconds, MidpointRounding.AwayFromZero)));
        }
        return bar + numbers + timeLeft;
    }

    /// <summary>Go's <c>time.Duration.String</c> for whole seconds: <c>0s</c>, <c>45s</c>, <c>2m5s</c>, <c>1h0m3s</c>.</summary>
    internal static string GoDuration(TimeSpan span)
    {
        var seconds = (long)span.TotalSeconds;
        if (seconds < 60)
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        var minutes = seconds / 60;
        if (minutes < 60)
            return $"{minutes}m{seconds % 60}s";
        return $"{minutes / 60}h{minutes % 60}m{seconds % 60}s";
    }
}
