using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Spdy;

/// <summary>
/// One stream of a <see cref="SpdyConnection"/>, as a duplex <see cref="Stream"/> (asynchronous calls only). Its
/// two halves close apart: the peer's FIN ends what this side reads (reads return 0), <see cref="CloseWriteAsync"/>
/// sends this side's FIN. A reset (RST_STREAM, or the session's end) closes both.
/// </summary>
public sealed class SpdyStream : Stream
{
    /// <summary>A data frame's size when writing: large enough for throughput, small enough not to hold the connection.</summary>
    private const int ChunkSize = 32 * 1024;

    private readonly SpdyConnection _connection;
    private readonly Pipe _incoming = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly TaskCompletionSource _replied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remoteClosed;
    private int _localClosed;
    private volatile bool _reset;

    internal SpdyStream(SpdyConnection connection, uint id, IReadOnlyDictionary<string, string> headers)
    {
        _connection = connection;
        Id = id;
        Headers = headers;
    }

    public uint Id { get; }

    /// <summary>The headers the stream was opened with (lower-case names).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    internal Task Opened { get; set; } = Task.CompletedTask;

    internal Task Replied => _replied.Task;

    /// <summary>Accepts a stream the peer opened (SYN_REPLY); the peer sends no data before it.</summary>
    public ValueTask ReplyAsync(CancellationToken cancellationToken = default) =>
        _connection.Writer.WriteAsync(new SynReplyFrame(Id, false, new Dictionary<string, string>()), cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var offset = 0; offset < buffer.Length; offset += ChunkSize)
        {
            if (_reset || Volatile.Read(ref _localClosed) != 0) throw new IOException($"SPDY stream {Id} is closed");
            var chunk = buffer.Slice(offset, Math.Min(ChunkSize, buffer.Length - offset));
            await _connection.Writer.WriteAsync(new DataFrame(Id, false, chunk), cancellationToken);
        }
    }

    /// <summary>Sends this side's FIN: the peer reads the end. Idempotent; nothing is sent on a reset stream.</summary>
    public async ValueTask CloseWriteAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _localClosed, 1) != 0 || _reset) return;
        await _connection.Writer.WriteAsync(new DataFrame(Id, true, ReadOnlyMemory<byte>.Empty), cancellationToken);
        if (Volatile.Read(ref _remoteClosed) != 0) _connection.Forget(this);
    }

    /// <summary>Ends both halves at once (RST_STREAM).</summary>
    public async ValueTask ResetAsync(RstStreamStatus status = RstStreamStatus.Cancel, CancellationToken cancellationToken = default)
    {
        if (_reset) return;
        RemoteClosed(reset: true);
        _connection.Forget(this);
        await _connection.Writer.WriteAsync(new RstStreamFrame(Id, status), cancellationToken);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _incoming.Reader.ReadAsync(cancellationToken);
            if (!result.Buffer.IsEmpty)
            {
                var n = (int)Math.Min(buffer.Length, result.Buffer.Length);
                var taken = result.Buffer.Slice(0, n);
                taken.CopyTo(buffer.Span);
                _incoming.Reader.AdvanceTo(taken.End);
                return n;
            }
            _incoming.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled) return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    internal void SetReplied() => _replied.TrySetResult();

    internal async ValueTask ReceiveAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _remoteClosed) != 0 || data.IsEmpty) return;
        try
        {
            await _incoming.Writer.WriteAsync(data, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Reset meanwhile: what came after is dropped, as the spec says.
        }
    }

    internal void RemoteClosed(bool reset)
    {
        if (reset)
        {
            _reset = true;
            _replied.TrySetException(new IOException($"SPDY stream {Id} was reset"));
        }
        if (Interlocked.Exchange(ref _remoteClosed, 1) != 0) return;
        _incoming.Writer.Complete();
        if (Volatile.Read(ref _localClosed) != 0) _connection.Forget(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _incoming.Reader.Complete();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("SPDY streams are read asynchronously");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("SPDY streams are written asynchronously");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
