using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Berth.Spdy;

/// <summary>
/// One SPDY/3.1 session over a connection (after an HTTP Upgrade). States: running from construction, reading
/// frames and dispatching them to their streams; closed once the peer ends the connection or sends GOAWAY, or on
/// <see cref="DisposeAsync"/> (then every stream sees its end and <see cref="Closed"/> completes). Streams the peer
/// opens come through <see cref="AcceptStreamAsync"/> and must be replied to; PINGs are answered here.
/// Flow control is not enforced in either direction, as Kubernetes' spdystream does not: WINDOW_UPDATE and
/// SETTINGS are read and ignored.
/// </summary>
public sealed class SpdyConnection : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly FrameReader _reader;
    private readonly bool _isServer;
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();
    private readonly Channel<SpdyStream> _accepted = Channel.CreateUnbounded<SpdyStream>();
    private readonly CancellationTokenSource _stop = new();
    private uint _nextStreamId;
    private uint _lastAccepted;
    private int _disposed;

    /// <param name="isServer">The side that answered the Upgrade: it opens even stream ids, the client odd ones.</param>
    public SpdyConnection(Stream transport, bool isServer)
    {
        _transport = transport;
        _isServer = isServer;
        _nextStreamId = isServer ? 2u : 1u;
        _reader = new FrameReader(transport);
        Writer = new FrameWriter(transport);
        Closed = ReadLoopAsync();
    }

    internal FrameWriter Writer { get; }

    /// <summary>Completes when the session ended (the peer left, sent GOAWAY, broke the protocol, or this side disposed).</summary>
    public Task Closed { get; }

    /// <summary>The next stream the peer opened, with its headers; null once the session ended.</summary>
    public async ValueTask<SpdyStream?> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Opens a stream with <paramref name="headers"/> and waits for the peer's SYN_REPLY.</summary>
    public async Task<SpdyStream> OpenStreamAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken = default)
    {
        SpdyStream stream;
        lock (_streams)
        {
            stream = new SpdyStream(this, _nextStreamId, headers);
            _nextStreamId += 2;
            _streams[stream.Id] = stream;
            // Ids must reach the wire in increasing order: the frame is queued under the same lock as the id is taken.
            stream.Opened = Writer.WriteAsync(new SynStreamFrame(stream.Id, 0, 0, false, headers), cancellationToken).AsTask();
        }
        await stream.Opened;
        await stream.Replied.WaitAsync(cancellationToken);
        return stream;
    }

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (await _reader.ReadAsync(_stop.Token) is { } frame)
                if (!await DispatchAsync(frame)) break;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer left or broke the protocol, or this side closed: the session ends either way.
        }
        finally
        {
            _accepted.Writer.TryComplete();
            foreach (var stream in _streams.Values) stream.RemoteClosed(reset: true);
            _streams.Clear();
        }
    }

    /// <summary>Handles one frame; false when the session ends (GOAWAY).</summary>
    private async ValueTask<bool> DispatchAsync(Frame frame)
    {
        switch (frame)
        {
            case SynStreamFrame syn:
                await AcceptAsync(syn);
                break;
            case SynReplyFrame reply when _streams.TryGetValue(reply.StreamId, out var stream):
                stream.SetReplied();
                if (reply.Fin) stream.RemoteClosed(reset: false);
                break;
            case HeadersFrame { Fin: true } headers when _streams.TryGetValue(headers.StreamId, out var stream):
                stream.RemoteClosed(reset: false);
                break;
            case DataFrame data when _streams.TryGetValue(data.StreamId, out var stream):
                await stream.ReceiveAsync(data.Data, _stop.Token);
                if (data.Fin) stream.RemoteClosed(reset: false);
                break;
            case RstStreamFrame rst when _streams.TryRemove(rst.StreamId, out var stream):
                stream.RemoteClosed(reset: true);
                break;
            case PingFrame ping when (ping.Id % 2 == 1) == _isServer:
                await Writer.WriteAsync(ping, _stop.Token); // the peer's ping: echoed
                break;
            case GoAwayFrame:
                return false;
        }
        return true;
    }

    private async ValueTask AcceptAsync(SynStreamFrame syn)
    {
        var peerOpened = (syn.StreamId % 2 == 1) == _isServer;
        if (!peerOpened || syn.StreamId <= _lastAccepted || _streams.ContainsKey(syn.StreamId))
        {
            await Writer.WriteAsync(new RstStreamFrame(syn.StreamId, RstStreamStatus.ProtocolError), _stop.Token);
            return;
        }
        _lastAccepted = syn.StreamId;
        var stream = new SpdyStream(this, syn.StreamId, syn.Headers);
        _streams[stream.Id] = stream;
        if (syn.Fin) stream.RemoteClosed(reset: false);
        await _accepted.Writer.WriteAsync(stream, _stop.Token);
    }

    internal void Forget(SpdyStream stream) => _streams.TryRemove(stream.Id, out _);

    /// <summary>Says GOAWAY (best effort), closes the connection and waits for the read loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Writer.WriteAsync(new GoAwayFrame(_lastAccepted, 0), timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already.
        }
        _stop.Cancel();
        await _transport.DisposeAsync();
        await Closed;
        _reader.Dispose();
        _stop.Dispose();
    }
}
