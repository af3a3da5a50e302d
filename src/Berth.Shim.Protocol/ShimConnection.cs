using System.Net.Sockets;

namespace Berth.Shim.Protocol;

/// <summary>One connection to a shim: the request line out, the answer line back, then (for streams) frames.</summary>
internal sealed class ShimConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;

    private ShimConnection(Socket socket) => _socket = socket;

    public static async Task<ShimConnection> OpenAsync(string path, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellation);
            return new ShimConnection(socket);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ShimGoneException($"shim at {path} is gone: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the request and reads the answer; an error answer throws <see cref="ShimException"/>.</summary>
    public async Task<ShimResponse> RequestAsync(ShimRequest request, CancellationToken cancellation)
    {
        try
        {
            await SendAsync(ShimProtocol.EncodeRequest(request), cancellation);
        }
        catch (SocketException e)
        {
            throw new ShimGoneException($"shim closed the connection: {e.Message}", e);
        }
        var line = await ReadLineAsync(cancellation) ?? throw new ShimGoneException($"shim closed the connection before answering {request.Op}");
        var response = ShimProtocol.DecodeResponse(line);
        return response.Error is { } error ? throw new ShimException(error) : response;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        while (!data.IsEmpty)
        {
            var n = await _socket.SendAsync(data, SocketFlags.None, cancellation);
            data = data[n..];
        }
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The next frame, or null when the shim ended the stream.</summary>
    public async ValueTask<ShimFrame?> ReadFrameAsync(CancellationToken cancellation)
    {
        if (!await FillAsync(ShimProtocol.FrameHeaderSize, cancellation))
        {
            if (_end == _start) return null;
            throw new ShimProtocolException("stream ended inside a frame header");
        }
        var (type, length) = ShimProtocol.ReadFrameHeader(_buffer.AsSpan(_start, ShimProtocol.FrameHeaderSize));
        _start += ShimProtocol.FrameHeaderSize;
        var payload = new byte[length];
        var buffered = Math.Min(length, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(payload);
        _start += buffered;
        for (var filled = buffered; filled < length;)
        {
            var n = await _socket.ReceiveAsync(payload.AsMemory(filled), SocketFlags.None, cancellation);
            if (n == 0) throw new ShimProtocolException("stream ended inside a frame");
            filled += n;
        }
        return new ShimFrame(type, payload);
    }

    private async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellation)
    {
        var scanned = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, newline - _start).ToArray();
                _start = newline + 1;
                return line;
            }
            scanned = _end;
            if (_end - _start >= ShimProtocol.MaxLineLength) throw new ShimProtocolException("answer line too long");
            if (!await ReceiveMoreAsync(cancellation)) return null;
        }
    }

    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellation)
    {
        while (_end - _start < count)
            if (!await ReceiveMoreAsync(cancellation)) return false;
        return true;
    }

    private async ValueTask<bool> ReceiveMoreAsync(CancellationToken cancellation)
    {
        if (_start > 0 && _start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            else Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        int n;
        try
        {
            n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
        {
            n = 0;
        }
        _end += n;
        return n > 0;
    }

    public void Dispose() => _socket.Dispose();
}
