using System.Text;
using Berth.Api.Client;
using Berth.Api.Models.Containers;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// compose's log lines: each container's lines after its name, padded to the longest name plus one and a bar
/// (<c>web-1  | hello</c>), each name in its own colour from compose's rainbow when colours are on.
/// </summary>
internal sealed class LogPrinter(TextWriter stdout, TextWriter stderr, bool colours, bool prefix = true)
{
    // cyan, yellow, green, magenta, blue, then their intense forms: compose's order.
    private static readonly string[] Rainbow = ["36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1"];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _colours = [];
    private int _width;

    public void Register(IEnumerable<string> names)
    {
        lock (_lock)
            foreach (var name in names)
            {
                _colours.TryAdd(name, Rainbow[_colours.Count % Rainbow.Length]);
                _width = Math.Max(_width, name.Length + 1);
            }
    }

    public void Line(string name, string line, bool error = false)
    {
        lock (_lock)
            (error ? stderr : stdout).WriteLine(Prefix(name) + line);
    }

    /// <summary>A note about a container in its colour, without the bar: <c>web-1 exited with code 0</c>.</summary>
    public void Status(string name, string message)
    {
        lock (_lock)
            stdout.WriteLine(Colour(name, $"{name} {message}"));
    }

    private string Prefix(string name) => prefix ? Colour(name, name.PadRight(_width) + " | ") : "";

    private string Colour(string name, string text) =>
        colours && _colours.TryGetValue(name, out var code) ? $"\u001b[{code}m{text}\u001b[0m" : text;

    /// <summary>Streams one container's logs into lines until the stream ends (or is cancelled).</summary>
    public async Task FollowAsync(IBerthClient client, ContainerSummary container, string name, LogsOptions options, CancellationToken cancellationToken)
    {
        await using var body = await client.ContainerLogsAsync(container.Id, options, cancellationToken).ConfigureAwait(false);
        var tty = (await client.ContainerInspectAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false)).Config.Tty;
        var reader = new MultiplexedStreamReader(body);
        var buffer = new byte[16 * 1024];
        var pending = new[] { new StringBuilder(), new StringBuilder() };
        while (true)
        {
            var (stream, count) = tty ? (StdStream.Stdout, await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false))
                : await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (count == 0)
                break;
            var error = stream == StdStream.Stderr;
            var text = pending[error ? 1 : 0].Append(Encoding.UTF8.GetString(buffer, 0, count));
            var full = text.ToString();
            var last = full.LastIndexOf('\n');
            if (last < 0)
                continue;
            foreach (var line in full[..last].Split('\n'))
                Line(name, line.TrimEnd('\r'), error);
            text.Clear().Append(full[(last + 1)..]);
        }
        foreach (var (rest, error) in pending.Select((p, i) => (p.ToString(), i == 1)).Where(p => p.Item1.Length > 0))
            Line(name, rest, error);
    }
}
