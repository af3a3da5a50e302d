using System.Security.Cryptography;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>
/// A blob's body as it arrives: reading past the expected length, or reaching its end short of it or with the wrong
/// digest (when hashed from the first byte), throws <see cref="InvalidDataException"/> instead of returning the end.
/// Disposing it disposes the response.
/// </summary>
internal sealed class VerifyingStream(Stream inner, IDisposable? owner, Digest digest, long expected, HashAlgorithmName? hash) : Stream
{
    private readonly IncrementalHash? _hash = hash is { } name ? IncrementalHash.CreateHash(name) : null;
    private long _read;
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expected;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_verified) return 0;
        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            if (_read != expected)
                throw new InvalidDataException($"blob {digest}: the registry sent {_read} bytes of {expected} (truncated)");
            if (_hash is not null && Digest.FromHash(digest.Algorithm, _hash.GetHashAndReset()) is var actual && actual != digest)
                throw new InvalidDataException($"filesystem layer verification failed for digest {digest}: got {actual}");
            _verified = true; // the end may be read again (ReadAtLeast does): it was checked once
            return 0;
        }
        _read += read;
        if (_read > expected) throw new InvalidDataException($"blob {digest}: the registry sent more than {expected} bytes");
        _hash?.AppendData(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

    /// <summary>Reads and drops <paramref name="count"/> bytes (they are still hashed).</summary>
    public async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            var read = await ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0) throw new InvalidDataException($"blob {digest}: the registry sent fewer bytes than the resume offset");
            count -= read;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner?.Dispose();
            _hash?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
