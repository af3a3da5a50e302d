using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Cri.Transport;

/// <summary>
/// The connection middleware that puts <see cref="AuthorityRewriter"/> between the socket and Kestrel's HTTP/2
/// parser: the client's bytes are pumped through it into a pipe that Kestrel reads; what Kestrel writes goes to the
/// socket unchanged.
/// </summary>
public static class LocalhostAuthority
{
    public static ListenOptions UseLocalhostAuthority(this ListenOptions listen)
    {
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var rewritten = new Pipe();
            connection.Transport = new Duplex(rewritten.Reader, transport.Output);
            var pump = PumpAsync(transport.Input, rewritten.Writer);
            try
            {
                await next(connection);
            }
            finally
            {
                transport.Input.CancelPendingRead();
                await pump;
                connection.Transport = transport;
            }
        });
        return listen;
    }

    private static async Task PumpAsync(PipeReader input, PipeWriter output)
    {
        Exception? error = null;
        try
        {
            if (await CopyPrefaceAsync(input, output))
            {
                while (true)
                {
                    var read = await input.ReadAsync();
                    var buffer = read.Buffer;
                    while (AuthorityRewriter.TryRewriteFrame(ref buffer, output)) { }
                    input.AdvanceTo(buffer.Start, buffer.End);
                    var flushed = await output.FlushAsync();
                    if (read.IsCompleted || read.IsCanceled || flushed.IsCompleted) break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException)
        {
            error = e;
        }
        await output.CompleteAsync(error);
    }

    /// <summary>The client's 24-byte preface, unchanged; false when the connection ends first or sends something else.</summary>
    private static async Task<bool> CopyPrefaceAsync(PipeReader input, PipeWriter output)
    {
        var length = AuthorityRewriter.Preface.Length;
        while (true)
        {
            var read = await input.ReadAsync();
            if (read.Buffer.Length >= length || read.IsCompleted || read.IsCanceled)
            {
                var preface = read.Buffer.Slice(0, Math.Min(length, read.Buffer.Length));
                foreach (var segment in preface) output.Write(segment.Span);
                input.AdvanceTo(preface.End);
                await output.FlushAsync();
                return preface.Length == length && preface.ToArray().AsSpan().SequenceEqual(AuthorityRewriter.Preface);
            }
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
