namespace Berth.Engine.Builds;

/// <summary>
/// Reads <paramref name="head"/> (bytes already taken from <paramref name="inner"/> to sniff it), then the rest of
/// <paramref name="inner"/>; every byte it returns is also written to <paramref name="copy"/> when there is one.
/// Disposing it disposes <paramref name="owner"/> (the response the stream belongs to).
/// </summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> head, Stream inner, Stream? copy = null, IDisposable? owner = null) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        if (!head.IsEmpty)
        {
            n = Math.Min(buffer.Length, head.Length);
            head[..n].CopyTo(buffer);
            head = head[n..];
        }
        else
        {
            n = await inner.ReadAsync(buffer, cancellationToken);
        }
        if (n > 0 && copy is not null) await copy.WriteAsync(buffer[..n], cancellationToken);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing) owner?.Dispose();
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
