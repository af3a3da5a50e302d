using System.IO.Compression;
using ZstdSharp;

namespace Berth.Snapshots.Layers;

/// <summary>Recognises a layer's compression by its magic bytes (gzip, zstd, or none), as the media type may lie or be absent.</summary>
public static class LayerCompression
{
    private static ReadOnlySpan<byte> Gzip => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> Zstd => [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary>A stream of the uncompressed tar; disposing it leaves <paramref name="layer"/> open.</summary>
    public static async Task<Stream> OpenDecompressedAsync(Stream layer, CancellationToken cancellationToken = default)
    {
        var head = new byte[4];
        var count = 0;
        while (count < head.Length)
        {
            var n = await layer.ReadAsync(head.AsMemory(count), cancellationToken);
            if (n == 0) break;
            count += n;
        }
        Stream whole = new PrefixedStream(head.AsMemory(0, count), layer);
        var span = head.AsSpan(0, count);
        if (span.StartsWith(Gzip)) return new GZipStream(whole, CompressionMode.Decompress);
        if (span.StartsWith(Zstd)) return new DecompressionStream(whole);
        return whole;
    }

    /// <summary>The bytes already read to sniff the format, then the rest of the inner stream, which it does not own.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (prefix.IsEmpty) return inner.Read(buffer);
            var n = Math.Min(buffer.Length, prefix.Length);
            prefix.Span[..n].CopyTo(buffer);
            prefix = prefix[n..];
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            prefix.IsEmpty ? inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
