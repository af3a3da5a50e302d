using System.Buffers.Binary;
using System.IO.Compression;

namespace Berth.Spdy;

/// <summary>
/// The receiving side of SPDY/3's header compression. A peer compresses against <see cref="HeaderDictionary"/>,
/// and .NET's inflater cannot be primed with a dictionary. But a preset dictionary is only the window an inflater
/// starts with: so the raw deflate stream is fed a stored block holding the dictionary before the peer's bytes, and
/// the dictionary comes out first and is skipped. The peer's back references then land in it as zlib's would.
/// The zlib stream spans the connection: each frame's bytes are appended, and a block is read only as far as its
/// own counts say, so the inflater never waits for bytes a later frame brings (each block ends with a sync flush).
/// </summary>
internal sealed class HeaderDecompressor : IDisposable
{
    private readonly FeedStream _compressed = new();
    private DeflateStream? _inflater;

    public Dictionary<string, string> Decompress(ReadOnlyMemory<byte> payload)
    {
        try
        {
            if (_inflater is null) payload = Start(payload);
            _compressed.Append(payload);
            return HeaderBlock.Decode(_inflater!);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new SpdyProtocolException("invalid compressed header block: " + e.Message, e);
        }
    }

    /// <summary>Checks the zlib header and primes the inflater; returns what follows the header.</summary>
    private ReadOnlyMemory<byte> Start(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        if (span.Length < 2 || (span[0] & 0x0f) != 8 || ((span[0] << 8) | span[1]) % 31 != 0)
            throw new SpdyProtocolException("the header block does not start a zlib stream");
        var skip = 2;
        _inflater = new DeflateStream(_compressed, CompressionMode.Decompress);
        if ((span[1] & 0x20) != 0)
        {
            if (span.Length < 6 || BinaryPrimitives.ReadUInt32BigEndian(span[2..]) != HeaderDictionary.Adler32)
                throw new SpdyProtocolException("the header block is compressed with another dictionary than SPDY/3's");
            skip = 6;
            _compressed.Append(StoredDictionary());
            _inflater.ReadExactly(new byte[HeaderDictionary.Bytes.Length]);
        }
        return payload[skip..];
    }

    private static byte[] StoredDictionary()
    {
        var dictionary = HeaderDictionary.Bytes;
        var block = new byte[5 + dictionary.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(1), (ushort)dictionary.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(3), (ushort)~dictionary.Length);
        dictionary.CopyTo(block.AsSpan(5));
        return block;
    }

    public void Dispose() => _inflater?.Dispose();

    /// <summary>The compressed bytes received so far and not yet inflated; reading past them finds the end.</summary>
    private sealed class FeedStream : Stream
    {
        private readonly Queue<ReadOnlyMemory<byte>> _pieces = new();
        private ReadOnlyMemory<byte> _current;

        public void Append(ReadOnlyMemory<byte> bytes)
        {
            if (!bytes.IsEmpty) _pieces.Enqueue(bytes.ToArray());
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_current.IsEmpty && !_pieces.TryDequeue(out _current)) return 0;
            var n = Math.Min(_current.Length, buffer.Length);
            _current.Span[..n].CopyTo(buffer);
            _current = _current[n..];
            return n;
        }

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
}
