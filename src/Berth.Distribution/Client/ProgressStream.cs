namespace Berth.Distribution.Client;

/// <summary>
/// Reads through to a stream it does not own, reporting the bytes read so far every <c>every</c> bytes and at the end:
/// a push's <c>Pushing</c> and a pull's <c>Extracting</c> progress.
/// </summary>
public sealed class ProgressStream(Stream inner, Action<long>? onProgress, long every = 256 * 1024) : Stream
{
    private long _read;
    private long _reported = -1;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _read += read;
        if (onProgress is not null && _reported != _read && (read == 0 || _read - Math.Max(_reported, 0) >= every))
        {
            _reported = _read;
            onProgress(_read);
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
