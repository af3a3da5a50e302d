namespace Berth.Engine.Containers.Archive;

/// <summary>
/// Exactly <c>length</c> bytes of a file that may change while a tar entry is written from it: reading stops at the
/// length the header announced, and a file that shrank is padded with zeros (GNU tar does the same). It claims to be
/// seekable only so that <see cref="System.Formats.Tar.TarWriter"/> takes its size from <see cref="Length"/>.
/// </summary>
internal sealed class BoundedStream(Stream inner, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0) return 0;
        var read = inner.Read(buffer[..wanted]);
        return Advance(buffer[..wanted], read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0) return 0;
        var read = await inner.ReadAsync(buffer[..wanted], cancellationToken);
        return Advance(buffer.Span[..wanted], read);
    }

    private int Advance(Span<byte> buffer, int read)
    {
        if (read == 0)
        {
            buffer.Clear();
            read = buffer.Length;
        }
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        origin == SeekOrigin.Current && offset == 0 ? _position : throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
