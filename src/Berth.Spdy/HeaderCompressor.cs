using System.Buffers.Binary;

namespace Berth.Spdy;

/// <summary>
/// The sending side of SPDY/3's header compression: one zlib stream per connection and direction, primed with
/// <see cref="HeaderDictionary"/>, flushed at the end of each header block. .NET's zlib has no preset dictionary,
/// and none is needed to send: the blocks go out as deflate's stored (uncompressed) blocks, which every inflater
/// takes whatever its dictionary. The stream header still names the dictionary (FDICT), as SPDY/3 says. Headers of
/// a streaming session are a few short lines, so nothing is lost.
/// </summary>
internal sealed class HeaderCompressor
{
    private const int MaxStoredBlock = ushort.MaxValue;
    private bool _started;

    /// <summary>The compressed bytes of one header block, which continue the bytes of the blocks before it.</summary>
    public byte[] Compress(IReadOnlyDictionary<string, string> headers)
    {
        var block = HeaderBlock.Encode(headers);
        using var output = new MemoryStream();
        if (!_started)
        {
            // CMF: deflate, 32 KiB window; FLG: FDICT, and a check making CMF·256+FLG a multiple of 31.
            output.Write([0x78, 0xf9]);
            Span<byte> dictId = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(dictId, HeaderDictionary.Adler32);
            output.Write(dictId);
            _started = true;
        }
        for (var offset = 0; offset < block.Length; offset += MaxStoredBlock)
            WriteStoredBlock(output, block.AsSpan(offset, Math.Min(MaxStoredBlock, block.Length - offset)));
        // zlib's sync flush, an empty stored block: Go's inflater hands out a block's bytes only when the next block
        // starts, so without it the peer would wait for the next frame's bytes to read this one's headers.
        WriteStoredBlock(output, []);
        return output.ToArray();
    }

    /// <summary>
    /// A non-final stored block: 3 header bits (BFINAL 0, BTYPE 00) padded to the byte, LEN and its complement
    /// (little-endian), the bytes. It ends on a byte boundary, which is what a zlib sync flush guarantees.
    /// </summary>
    private static void WriteStoredBlock(MemoryStream output, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header[1..], (ushort)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[3..], (ushort)~data.Length);
        output.Write(header);
        output.Write(data);
    }
}
