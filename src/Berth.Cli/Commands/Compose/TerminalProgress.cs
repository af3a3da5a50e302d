using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// compose v2's terminal display: a <c>[+] up 2/3</c> header and one line per object (network, volume, container,
/// image) redrawn in place every 100 ms with ANSI cursor moves: a spinner while it works (✔ when done, ✘ on error),
/// the object, its state, and its elapsed time aligned on the right. Attached <c>up</c> leaves out the
/// Starting/Started states, which the containers' logs follow.
/// </summary>
internal sealed class TerminalProgress : ComposeProgress
{
    private const string Spinner = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static readonly HashSet<string> Working =
        ["Creating", "Starting", "Stopping", "Removing", "Pulling", "Building", "Waiting", "Recreate", "Restarting", "Killing", "Pausing",
            "Unpausing", "Copying", "Pushing", "Exporting"];

    private sealed class Line(string id, long start)
    {
        public string Id { get; } = id;
        public long Start { get; set; } = start;
        public long? End { get; set; }
        public string Text { get; set; } = "";
        public string Details { get; set; } = "";
        public bool Failed => Text == "Error";
        public bool Done => !Working.Contains(Text);
    }

    private readonly TextWriter _output;
    private readonly Func<(int Height, int Width)?> _size;
    private readonly string _operation;
    private readonly bool _detached;
    private readonly List<Line> _lines = [];
    private readonly Lock _draw = new();
    private readonly Timer _timer;
    private int _drawn;
    private int _frame;

    public TerminalProgress(TextWriter output, Func<(int Height, int Width)?> size, string operation, bool detached) : base(output)
    {
        _output = output;
        _size = size;
        _operation = operation;
        _detached = detached;
        _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    protected override void Show(string id, string status, string details)
    {
        if (!_detached && _operation != "start" && status is "Started" or "Starting")
            return;
        lock (_draw)
        {
            // A build writes its own output: the display pauses, and resumes below what the build printed.
            if (status == "Building")
                _timer.Change(Timeout.Infinite, Timeout.Infinite);
            else if (_lines.Any(l => l.Text == "Building"))
            {
                _drawn = 0;
                _timer.Change(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
            }
            var now = Stopwatch.GetTimestamp();
            var line = _lines.Find(l => l.Id == id);
            if (line is null)
                _lines.Add(line = new Line(id, now));
            else if (line.Done && Working.Contains(status))
                (line.Start, line.End) = (now, null);
            line.Text = status;
            line.Details = details;
            line.End = line.Done ? line.End ?? now : null;
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        Draw();
        base.Dispose();
    }

    /// <summary>One frame: what the timer does every 100 ms.</summary>
    internal void Draw()
    {
        lock (_draw)
        {
            if (_lines.Count == 0)
                return;
            var (height, width) = _size() is { Width: > 0 } size ? size : (24, 80);
            var text = new StringBuilder("\x1b[?25l");
            if (_drawn > 0)
                text.Append(CultureInfo.InvariantCulture, $"\x1b[{_drawn + 1}A");
            text.Append("\x1b[0G");
            text.Append(CultureInfo.InvariantCulture, $"[+] {_operation} {_lines.Count(l => l.Done)}/{_lines.Count}\n");
            var shown = _lines.Count > Math.Max(height - 2, 1) ? _lines[..Math.Max(height - 3, 0)] : _lines;
            var now = Stopwatch.GetTimestamp();
            var timers = shown.Select(l => Stopwatch.GetElapsedTime(l.Start, l.End ?? now).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s").ToList();
            var timerWidth = timers.Max(t => t.Length);
            var idWidth = shown.Max(l => l.Id.Length);
            _frame++;
            for (var i = 0; i < shown.Count; i++)
                text.Append(Render(shown[i], timers[i].PadLeft(timerWidth), idWidth, width));
            var count = shown.Count;
            if (shown.Count < _lines.Count)
            {
                var more = $" ... {_lines.Count - shown.Count} more";
                text.Append(more.PadRight(width)).Append('\n');
                count++;
            }
            for (; count < _drawn; count++)
                text.Append(' ', width).Append('\n');
            _drawn = count;
            _output.Write(text.Append("\x1b[?25h").ToString());
        }
    }

    /// <summary><c> ⠿ Container app-web-1  Starting          0.3s</c>: states aligned after the longest object, the timer at the right edge.</summary>
    private string Render(Line line, string timer, int idWidth, int width)
    {
        var spinner = line.Failed ? "\x1b[31;1m✘\x1b[0m" : line.Done ? "\x1b[32m✔\x1b[0m" : $"\x1b[33m{Spinner[_frame % Spinner.Length]}\x1b[0m";
        var status = line.Failed ? $"\x1b[31;1m{line.Text}\x1b[0m" : line.Done ? $"\x1b[32m{line.Text}\x1b[0m" : line.Text;
        var id = line.Id;
        var details = line.Details;
        var fixedWidth = 3 + idWidth + 1 + line.Text.Length + 1 + timer.Length;
        if (details.Length > 0 && fixedWidth + 1 + details.Length > width)
            details = width - fixedWidth - 1 > 3 ? details[..(width - fixedWidth - 4)] + "..." : "";
        var used = 3 + idWidth + 1 + line.Text.Length + (details.Length > 0 ? 1 + details.Length : 0);
        var timerPad = Math.Max(width - used - timer.Length, 1);
        return $" {spinner} {id.PadRight(idWidth)} {status}{(details.Length > 0 ? " " + details : "")}{new string(' ', timerPad)}\x1b[34m{timer}\x1b[0m\n";
    }
}
