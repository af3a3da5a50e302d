using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Diagnostics;

/// <summary>
/// Where the time of one operation (a start, an exec, a removal) goes, for <c>berthd --debug</c>: each
/// <see cref="Mark"/> closes a phase, and the log line reads <c>rootfs=1.20 netns=0.41 … total=9.87</c> (ms).
/// <c>scripts/phases.sh</c> prints their medians over many runs. Off (no clock read, nothing allocated) unless debug
/// logging is on, so the operations pay nothing for it in production.
/// </summary>
public sealed class Phases
{
    private static readonly Phases Off = new(enabled: false);

    private readonly StringBuilder? _text;
    private readonly long _started;
    private long _last;

    private Phases(bool enabled)
    {
        if (!enabled) return;
        _text = new StringBuilder(160);
        _started = _last = Stopwatch.GetTimestamp();
    }

    public bool Enabled => _text is not null;

    /// <summary>A clock for one operation: running when <paramref name="logger"/> logs debug, <see cref="Off"/> otherwise.</summary>
    public static Phases Start(ILogger logger) => logger.IsEnabled(LogLevel.Debug) ? new Phases(enabled: true) : Off;

    /// <summary>Ends the phase named <paramref name="phase"/> now; the next one starts here.</summary>
    public void Mark(string phase)
    {
        if (_text is null) return;
        var now = Stopwatch.GetTimestamp();
        Append(phase, Stopwatch.GetElapsedTime(_last, now));
        _last = now;
    }

    public override string ToString() => _text is null ? "" : $"{_text}total={Milliseconds(Stopwatch.GetElapsedTime(_started))}";

    private void Append(string phase, TimeSpan elapsed) => _text!.Append(phase).Append('=').Append(Milliseconds(elapsed)).Append(' ');

    private static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture);
}
