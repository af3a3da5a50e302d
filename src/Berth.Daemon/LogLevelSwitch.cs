using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// The level berthd's log lines pass at, changeable while running (SIGHUP with a new <c>debug</c> or <c>log-level</c>).
/// ASP.NET's own categories stay at warnings: at information they would log every request twice.
/// </summary>
internal sealed class LogLevelSwitch(LogLevel level)
{
    public LogLevel Level { get; set; } = level;

    public bool Allows(string? category, LogLevel level) =>
        level >= Level && (level >= LogLevel.Warning || category?.StartsWith("Microsoft.", StringComparison.Ordinal) != true);
}
