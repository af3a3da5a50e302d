using System.Globalization;
using System.Text;
using Berth.Api.Server.Streams;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Logs;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server.Containers;

/// <summary><c>GET /containers/{id}/logs</c>: chunked, headers flushed at once, framed as the container's TTY says.</summary>
public static class ContainerStreams
{
    public static async Task Logs(HttpContext c)
    {
        var request = c.Request;
        var options = new LogOptions
        {
            Stdout = Query.Bool(request, "stdout"),
            Stderr = Query.Bool(request, "stderr"),
            Follow = Query.Bool(request, "follow"),
            Since = Query.Time(request, "since"),
            Until = Query.Time(request, "until"),
            Tail = Tail(Query.String(request, "tail")),
        };
        var timestamps = Query.Bool(request, "timestamps");
        var (tty, entries) = ContainerEndpoints.Service(c).Logs(ContainerEndpoints.Id(c), options, c.RequestAborted);
        c.Response.StatusCode = StatusCodes.Status200OK;
        c.Response.ContentType = StdioFraming.ContentType(tty);
        await c.Response.StartAsync(c.RequestAborted);
        await c.Response.BodyWriter.FlushAsync(c.RequestAborted);
        try
        {
            await foreach (var entry in entries.WithCancellation(c.RequestAborted))
            {
                var data = timestamps ? WithTimestamp(entry) : entry.Data;
                var flush = await StdioFraming.WriteAsync(c.Response.BodyWriter, tty, new OutputFrame((int)entry.Stream, data), c.RequestAborted);
                if (flush.IsCompleted) return;
            }
        }
        catch (OperationCanceledException) when (c.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static int? Tail(string? value) => value switch
    {
        null or "all" => null,
        _ when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n < 0 ? null : n,
        _ => throw new EngineException(ErrorKind.InvalidArgument, $"invalid value for tail: {value}"),
    };

    /// <summary>Go's RFC3339Nano with all nine digits, UTC, then a space: <c>2006-01-02T15:04:05.000000000Z </c>.</summary>
    private static byte[] WithTimestamp(LogEntry entry)
    {
        var stamp = entry.Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z ";
        return [.. Encoding.ASCII.GetBytes(stamp), .. entry.Data];
    }
}
