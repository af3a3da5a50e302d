using Berth.Api.Models.Streams;

namespace Berth.Cli.Formatting;

/// <summary>
/// Prints a JSON progress stream as docker's <c>jsonmessage.DisplayJSONMessagesStream</c> does: on a terminal,
/// one line per layer ID rewritten in place, its progress drawn for the terminal's <c>width</c>
/// (<see cref="ProgressBar"/>); otherwise only lines without a progress figure.
/// </summary>
internal static class JsonMessageDisplay
{
    /// <summary>Prints every message; returns the <c>aux</c> values; throws the stream's error as docker reports it.</summary>
    /// <exception cref="JsonStreamException">A message carried <c>errorDetail</c>/<c>error</c>.</exception>
    public static async Task<List<JsonMessage>> WriteAsync(IAsyncEnumerable<JsonMessage> messages, TextWriter output, bool isTerminal,
        CancellationToken cancellationToken = default, int width = ProgressBar.UnknownWidth, TimeProvider? clock = null)
    {
        var auxes = new List<JsonMessage>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (message.Aux is not null)
            {
                auxes.Add(message);
                continue;
            }
            var diff = 0;
            if (message.Id is { Length: > 0 } id && (message.ProgressDetail is not null || message.Progress is not null))
            {
                if (!lines.TryGetValue(id, out var line))
                {
                    line = lines.Count;
                    lines[id] = line;
                    if (isTerminal)
                        output.Write('\n');
                }
                diff = lines.Count - line;
                if (isTerminal)
                    output.Write($"\x1b[{diff}A");
            }
            else
            {
                lines.Clear();
            }
            Display(message, output, isTerminal, width, (clock ?? TimeProvider.System).GetUtcNow());
            if (message.Id is { Length: > 0 } && isTerminal && diff > 0)
                output.Write($"\x1b[{diff}B");
        }
        return auxes;
    }

    private static void Display(JsonMessage message, TextWriter output, bool isTerminal, int width, DateTimeOffset now)
    {
        if (message.ErrorDetail is not null || message.Error is not null)
            throw new JsonStreamException(message.ErrorDetail?.Message ?? message.Error ?? "", message.ErrorDetail?.Code);
        var hasProgress = message.ProgressDetail is { Current: > 0 } or { Total: > 0 };
        var endl = "";
        if (isTerminal && message.Stream is null && message.ProgressDetail is not null)
        {
            output.Write("\x1b[2K\r");
            endl = "\r";
        }
        else if (hasProgress)
        {
            return;
        }
        if (message.TimeNano is > 0 || message.Time is > 0)
        {
            var nanos = message.TimeNano is > 0 ? message.TimeNano.Value : message.Time!.Value * 1_000_000_000L;
            output.Write(Text.Rfc3339NanoFixed(nanos) + " ");
        }
        if (!string.IsNullOrEmpty(message.Id))
            output.Write($"{message.Id}: ");
        if (!string.IsNullOrEmpty(message.From))
            output.Write($"(from {message.From}) ");
        if (isTerminal && message.ProgressDetail is not null)
            output.Write($"{message.Status} {ProgressBar.Render(message.ProgressDetail, width, now)}{endl}");
        else if (!string.IsNullOrEmpty(message.Progress))
            output.Write($"{message.Status} {message.Progress}{endl}");
        else if (message.Stream is not null)
            output.Write(message.Stream + endl);
        else
            output.Write($"{message.Status}{endl}\n");
    }
}

/// <summary>An error inside a progress stream; <see cref="Code"/> becomes the exit status when set.</summary>
internal sealed class JsonStreamException(string message, int? code) : Exception(message)
{
    public int? Code { get; } = code;
}
