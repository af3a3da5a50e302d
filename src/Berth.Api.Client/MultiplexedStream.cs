using System.Buffers;
using System.Buffers.Binary;

namespace Berth.Api.Client;

/// <summary>Which stream a multiplexed frame belongs to (the first header byte).</summary>
public enum StdStream : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
    SystemError = 3,
}

/// <summary>
/// Reads Docker's multiplexed stream: frames of <c>[type, 0, 0, 0, size as big-endian uint32]</c> followed by
/// <c>size</c> payload bytes (attach, exec and logs without a TTY).
/// </summary>
public sealed class MultiplexedStreamReader(Stream source)
{
    private readonly byte[] _header = new byte[8];
    private StdStream _current;
    private int _remaining;

    /// <summary>
    /// Reads payload bytes of the current frame into <paramref name="buffer"/> (a frame larger than the buffer
    /// comes back over several calls). Returns count 0 at a clean end of stream.
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ended inside a frame.</exception>
    public async ValueTask<(StdStream Stream, int Count)> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_remaining == 0)
        {
            if (!await ReadHeaderAsync(cancellationToken).ConfigureAwait(false))
                return (StdStream.Stdout, 0);
        }
        var n = await source.ReadAsync(buffer[..Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        if (n == 0)
            throw new EndOfStreamException("unexpected EOF inside a multiplexed stream frame");
        _remaining -= n;
        return (_current, n);
    }

    private async ValueTask<bool> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < _header.Length)
        {
            var n = await source.ReadAsync(_header.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                    return false;
                throw new EndOfStreamException("unexpected EOF inside a multiplexed stream header");
            }
            read += n;
        }
        _current = (StdStream)_header[0];
        _remaining = checked((int)BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4)));
        return true;
    }

    /// <summary>
    /// Copies stdout frames to <paramref name="stdout"/> and stderr frames to <paramref name="stderr"/> until the
    /// end of the stream. A system-error frame (the daemon's own failure) ends the copy with an exception.
    /// </summary>
    /// <exception cref="IOException"><c>error from daemon in stream: …</c></exception>
    public static async Task DemultiplexAsync(Stream source, Stream stdout, Stream stderr, CancellationToken cancellationToken = default)
    {
        var reader = new MultiplexedStreamReader(source);
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (true)
            {
                var (stream, count) = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (count == 0)
                    return;
                switch (stream)
                {
                    case StdStream.Stdout or StdStream.Stdin:
                        await stdout.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case StdStream.Stderr:
                        await stderr.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                        await stderr.FlushAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case StdStream.SystemError:
                        var message = await reader.ReadRestOfFrameAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                        throw new IOException($"error from daemon in stream: {message}");
                    default:
                        throw new IOException($"unrecognized stream: {(int)stream}");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<string> ReadRestOfFrameAsync(ReadOnlyMemory<byte> first, CancellationToken cancellationToken)
    {
        var all = new MemoryStream();
        all.Write(first.Span);
        var buffer = new byte[4096];
        while (_remaining > 0)
        {
            var (_, n) = await ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            all.Write(buffer, 0, n);
        }
        return System.Text.Encoding.UTF8.GetString(all.GetBuffer(), 0, (int)all.Length);
    }
}
