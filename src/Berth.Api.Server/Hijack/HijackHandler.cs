using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Exec;
using Berth.Api.Server.Exec;
using Berth.Api.Server.Streams;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.System;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Berth.Api.Server.Hijack;

/// <summary>
/// One hijacked request: validate (a 404/409 JSON answer, as any endpoint), then <c>101 UPGRADED</c> in its own
/// write, then the process's output as frames (raw with a TTY) and the client's bytes as its stdin. A read EOF is
/// stdin EOF only (the CLI half-closes at once without <c>-i</c>); the connection closes when the output ends.
/// </summary>
public sealed partial class HijackHandler(ContainerService containers, ILogger<HijackHandler> logger)
{
    public async Task HandleAsync(ConnectionContext connection, RequestHead head, byte[] body)
    {
        var output = connection.Transport.Output;
        Func<Task<StreamSession>> open;
        bool tty;
        try
        {
            if (head.ApiVersion is { } version) ApiVersioning.Check(version);
            (open, tty) = await PrepareAsync(head, body, connection.ConnectionClosed);
        }
        catch (EngineException e)
        {
            await WriteErrorAsync(output, ErrorMapper.StatusOf(e.Kind), e.Message);
            return;
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(output, 400, $"invalid JSON: {e.Message}");
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, head.Path, e);
            await WriteErrorAsync(output, 500, e.Message);
            return;
        }

        await WriteHeadAsync(output, "101 UPGRADED", StdioFraming.ContentType(tty), "Connection: Upgrade\r\nUpgrade: tcp\r\n");
        StreamSession session;
        try
        {
            session = await open();
        }
        catch (EngineException e)
        {
            // Past the 101 the only way to say it is the stream itself, as Docker does.
            await StdioFraming.WriteAsync(output, tty, new OutputFrame(2, Encoding.UTF8.GetBytes(e.Message + "\n")), CancellationToken.None);
            await output.CompleteAsync();
            return;
        }
        await using (session)
        {
            var input = PumpInputAsync(connection.Transport.Input, session);
            await PumpOutputAsync(session, tty, output, CancellationToken.None);
            await output.CompleteAsync();
            await connection.Transport.Input.CompleteAsync();
            await input;
        }
    }

    /// <summary>Copies the session's output until it ends or the client is gone: raw with <paramref name="tty"/>, else multiplexed.</summary>
    public static async Task PumpOutputAsync(StreamSession session, bool tty, PipeWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in session.Output.ReadAllAsync(cancellationToken))
            {
                var flush = await StdioFraming.WriteAsync(output, tty, frame, cancellationToken);
                if (flush.IsCompleted || flush.IsCanceled) return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // the client went away: detach; the process keeps running
        }
    }

    /// <summary>
    /// Checks the request (a JSON error while that is still possible) and returns how to open the stream once the 101 is
    /// out. An exec starts only then, as in Docker: a client reading the 101 through a buffered reader (docker-py) must
    /// not find the process's first bytes in the same read.
    /// </summary>
    private async Task<(Func<Task<StreamSession>> Open, bool Tty)> PrepareAsync(RequestHead head, byte[] body, CancellationToken cancellationToken)
    {
        var id = head.Path.Split('/')[2];
        if (HijackMiddleware.AttachPath().IsMatch(head.Path))
        {
            var options = new AttachOptions(
                Stream: Flag(head, "stream"), Stdin: Flag(head, "stdin"), Stdout: Flag(head, "stdout"),
                Stderr: Flag(head, "stderr"), Logs: Flag(head, "logs"),
                DetachKeys: head.Query.TryGetValue("detachKeys", out var keys) ? keys.ToString() : null);
            var session = await containers.AttachAsync(id, options, cancellationToken);
            return (() => Task.FromResult(session), session.Tty);
        }
        var start = body.Length == 0 ? new ExecStartRequest() : JsonSerializer.Deserialize(body, ApiJsonContext.Default.ExecStartRequest)!;
        if (start.Detach)
            throw new EngineException(ErrorKind.InvalidArgument, "a detached exec start cannot be hijacked");
        containers.CheckExecStart(id);
        // Not the connection's token: Kestrel signals it on the client's half-close, which the CLI sends right after the 101.
        // The framing follows the start request's Tty, not the exec's, as moby's router does: docker-py starts every exec
        // with "Tty": false and demultiplexes, even an exec that runs on a terminal.
        return (async () => (await containers.StartExecAsync(id, false, ExecEndpoints.Size(start.ConsoleSize), CancellationToken.None))!, start.Tty);
    }

    private static async Task PumpInputAsync(PipeReader input, StreamSession session)
    {
        try
        {
            while (true)
            {
                var read = await input.ReadAsync();
                foreach (var segment in read.Buffer) await session.WriteInputAsync(segment);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or InvalidOperationException or OperationCanceledException)
        {
        }
        session.CloseInput();
    }

    private static bool Flag(RequestHead head, string name) =>
        head.Query.TryGetValue(name, out var values) && Query.BoolValue(values.ToString());

    private static async Task WriteErrorAsync(PipeWriter output, int status, string message)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message), ApiJsonContext.Default.ErrorResponse);
        await WriteHeadAsync(output, $"{status} {ReasonPhrase(status)}", Json.ContentType, $"Content-Length: {json.Length}\r\nConnection: close\r\n");
        await output.WriteAsync(json);
        await output.CompleteAsync();
    }

    /// <summary>The status line and headers in one write, flushed before any stream byte (docker-py reads them apart).</summary>
    private static async Task WriteHeadAsync(PipeWriter output, string status, string contentType, string extra)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append("\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append(extra)
            .Append("Api-Version: ").Append($"{EngineVersion.MaxApi.Major}.{EngineVersion.MaxApi.Minor}").Append("\r\n")
            .Append("Docker-Experimental: false\r\n")
            .Append("Ostype: linux\r\n")
            .Append("Server: Docker/").Append(EngineVersion.Product).Append(" (linux)\r\n")
            .Append("\r\n");
        await output.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await output.FlushAsync();
    }

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        _ => "Internal Server Error",
    };

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "hijacked {Path} failed")]
    private static partial void LogFailed(ILogger logger, string path, Exception error);
}
