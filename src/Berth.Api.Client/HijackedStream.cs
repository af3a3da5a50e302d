namespace Berth.Api.Client;

/// <summary>
/// The raw duplex connection after <c>101 UPGRADED</c> (attach, exec start). Reads return the container's output
/// (multiplexed frames unless <see cref="IsTty"/>); writes go to its stdin. <see cref="CloseWriteAsync"/> half-closes
/// the connection, which the daemon reads as stdin EOF while it keeps sending output.
/// </summary>
public sealed class HijackedStream : Stream
{
    private readonly DaemonConnection _connection;
    private readonly Stream _network;
    private readonly byte[] _pending;
    private int _pendingOffset;

    internal HijackedStream(DaemonConnection connection, ReadOnlySpan<byte> alreadyRead, string contentType)
    {
        _connection = connection;
        _network = connection.Stream;
        _pending = alreadyRead.ToArray();
        ContentType = contentType;
    }

    /// <summary><c>application/vnd.docker.raw-stream</c> or <c>application/vnd.docker.multiplexed-stream</c>.</summary>
    public string ContentType { get; }

    /// <summary>True when the daemon said the stream is raw (TTY); false means 8-byte-header frames.</summary>
    public bool IsTty => ContentType.Contains("raw-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>Half-closes: no more stdin; output keeps flowing until the daemon closes.</summary>
    public ValueTask CloseWriteAsync() => _connection.CloseWriteAsync();

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakePending(buffer) is var n and > 0)
            return n;
        return _network.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePending(buffer.Span) is var n and > 0)
            return ValueTask.FromResult(n);
        return _network.ReadAsync(buffer, cancellationToken);
    }

    private int TakePending(Span<byte> buffer)
    {
        var left = _pending.Length - _pendingOffset;
        if (left == 0 || buffer.Length == 0)
            return 0;
        var n = Math.Min(left, buffer.Length);
        _pending.AsSpan(_pendingOffset, n).CopyTo(buffer);
        _pendingOffset += n;
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => _network.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => _network.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _network.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _network.WriteAsync(buffer, cancellationToken);

    public override void Flush() => _network.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _network.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _connection.Dispose();
        base.Dispose(disposing);
    }
}
