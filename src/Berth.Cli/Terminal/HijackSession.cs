using System.Buffers;
using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Terminal;

/// <summary>
/// Pumps a hijacked attach/exec connection (docker's <c>hijackedIOStreamer</c>): output to the console, raw with
/// a TTY and demultiplexed without; stdin to the connection, half-closing it at stdin's EOF (or at once when
/// stdin is not attached) while output keeps flowing. With a TTY the terminal is raw and the detach keys end the
/// session with <see cref="DetachedException"/>.
/// </summary>
internal static class HijackSession
{
    public static readonly byte[] DefaultDetachKeys = [16, 17]; // ctrl-p, ctrl-q

    public static async Task StreamAsync(HijackedStream connection, CliConsole console, bool tty, bool attachStdin,
        byte[]? detachKeys, CancellationToken cancellationToken)
    {
        using var raw = tty && attachStdin && console.Terminal.IsStdinTerminal ? console.Terminal.MakeRaw() : null;
        var output = tty
            ? CopyOutputAsync(connection, console.StdoutStream, cancellationToken)
            : MultiplexedStreamReader.DemultiplexAsync(connection, console.StdoutStream, console.StderrStream, cancellationToken);
        if (!attachStdin)
        {
            await connection.CloseWriteAsync().ConfigureAwait(false);
            await output.ConfigureAwait(false);
            return;
        }
        var input = PumpInputAsync(connection, console.StdinStream, tty ? detachKeys ?? DefaultDetachKeys : null, cancellationToken);
        if (await Task.WhenAny(output, input).ConfigureAwait(false) == input && input.Status == TaskStatus.RanToCompletion && input.Result)
            throw new DetachedException();
        await output.ConfigureAwait(false);
    }

    private static async Task CopyOutputAsync(Stream connection, Stream stdout, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int n;
            while ((n = await connection.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stdout.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies stdin to the connection; true when the detach sequence was typed, false at EOF or a write failure.</summary>
    private static async Task<bool> PumpInputAsync(HijackedStream connection, Stream stdin, byte[]? detachKeys, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        var escape = detachKeys is null ? null : new EscapeMatcher(detachKeys);
        try
        {
            int n;
            while ((n = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var chunk = buffer.AsMemory(0, n);
                if (escape is not null)
                {
                    var (forward, detached) = escape.Filter(chunk.Span);
                    if (detached)
                    {
                        if (forward.Length > 0)
                            await connection.WriteAsync(forward, cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    chunk = forward;
                }
                if (chunk.Length > 0)
                    await connection.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        await connection.CloseWriteAsync().ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Finds the detach sequence in typed input; bytes that might start it are held back until they either complete
    /// it or turn out to be ordinary input (then they are forwarded, as docker's EscapeProxy does).
    /// </summary>
    internal sealed class EscapeMatcher(byte[] keys)
    {
        private int _matched;

        public (byte[] Forward, bool Detached) Filter(ReadOnlySpan<byte> input)
        {
            var forward = new List<byte>(input.Length + _matched);
            foreach (var b in input)
            {
                if (b == keys[_matched])
                {
                    _matched++;
                    if (_matched == keys.Length)
                        return (forward.ToArray(), true);
                    continue;
                }
                forward.AddRange(keys.AsSpan(0, _matched));
                _matched = 0;
                if (b == keys[0])
                {
                    _matched = 1;
                    continue;
                }
                forward.Add(b);
            }
            return (forward.ToArray(), false);
        }
    }

    /// <summary>Docker's <c>term.ToBytes</c>: <c>ctrl-p,ctrl-q</c>, <c>a,b</c>…</summary>
    /// <exception cref="FormatException"><c>Unknown character: 'x'</c>.</exception>
    public static byte[] ParseDetachKeys(string keys)
    {
        const string controls = "abcdefghijklmnopqrstuvwxyz@[\\]^_";
        var codes = new List<byte>();
        foreach (var key in keys.Split(','))
        {
            if (key.Length == 1)
            {
                codes.Add((byte)key[0]);
                continue;
            }
            var lower = key.ToLowerInvariant();
            if (lower.StartsWith("ctrl-", StringComparison.Ordinal) && lower.Length == 6 && controls.IndexOf(lower[5]) is var i and >= 0)
            {
                codes.Add(i < 26 ? (byte)(i + 1) : (byte)(i == 26 ? 0 : i));
                continue;
            }
            throw new FormatException($"Unknown character: '{key}'");
        }
        return [.. codes];
    }
}

/// <summary>The user typed the detach sequence: the container keeps running, the CLI exits 0.</summary>
internal sealed class DetachedException() : Exception("read escape sequence");
