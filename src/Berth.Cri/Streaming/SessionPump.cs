using System.Text.Json;
using Berth.Engine.Containers;
using Berth.Spdy;

namespace Berth.Cri.Streaming;

/// <summary>
/// Joins an engine stdio session (an exec's or an attach's) to the client's streams: output to stdout and stderr
/// (one stream with a terminal), stdin in (its end closes the process's stdin), terminal sizes from the resize
/// stream. Runs until the session's output ends, or until the client goes away.
/// </summary>
internal static class SessionPump
{
    public static async Task RunAsync(StreamSession session, RemoteCommandStreams streams, Func<ushort, ushort, Task> resize, CancellationToken clientGone)
    {
        // Input and sizes stop with the output: a client keeps its stdin open until it has read the status.
        using var inputs = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        var input = streams.Stdin is { } stdin ? PumpInputAsync(session, stdin, inputs.Token) : Task.CompletedTask;
        var sizes = streams.Resize is { } resizes ? PumpSizesAsync(resizes, resize, inputs.Token) : Task.CompletedTask;
        try
        {
            await foreach (var frame in session.Output.ReadAllAsync(clientGone))
            {
                var target = frame.Stream == 2 ? streams.Stderr ?? streams.Stdout : streams.Stdout;
                if (target is not null) await target.WriteAsync(frame.Data, clientGone);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client left; the caller ends the process or the attach.
        }
        await inputs.CancelAsync();
        await Task.WhenAll(input, sizes);
        await streams.CloseOutputAsync();
        await session.DisposeAsync();
    }

    private static async Task PumpInputAsync(StreamSession session, SpdyStream stdin, CancellationToken clientGone)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer, clientGone)) > 0)
                await session.WriteInputAsync(buffer.AsMemory(0, read), clientGone); // copied by the session
            session.CloseInput();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The session or the client ended first.
        }
        finally
        {
            await stdin.DisposeAsync(); // what the client still sends is dropped, not queued before the session's other frames
        }
    }

    /// <summary>Sizes come as JSON objects, <c>{"Width":80,"Height":24}</c>, one a line (Go's json.Encoder).</summary>
    private static async Task PumpSizesAsync(SpdyStream resizes, Func<ushort, ushort, Task> resize, CancellationToken clientGone)
    {
        using var reader = new StreamReader(resizes);
        try
        {
            while (await reader.ReadLineAsync(clientGone) is { } line)
            {
                if (line.Length == 0) continue;
                using var size = JsonDocument.Parse(line);
                var width = size.RootElement.GetProperty("Width").GetUInt16();
                var height = size.RootElement.GetProperty("Height").GetUInt16();
                try
                {
                    await resize(height, width);
                }
                catch (Engine.EngineException)
                {
                    // The process is not running (yet, or any more): this size is dropped, the next may land.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or JsonException or InvalidOperationException
            or KeyNotFoundException or FormatException)
        {
            // A bad size or a client gone: sizes stop, the session goes on.
        }
    }
}
