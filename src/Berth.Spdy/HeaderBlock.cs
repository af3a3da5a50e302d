using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Berth.Spdy;

/// <summary>
/// A SPDY/3 name/value header block before compression: a 32-bit count, then each name and value with a 32-bit
/// length. Names are lower case; a name with several values has them joined by NUL, as Go's spdy framer does.
/// </summary>
internal static class HeaderBlock
{
    /// <summary>More than this is no header block a streaming peer sends: refuse it rather than allocate it.</summary>
    private const int MaxLength = 1 << 20;

    public static byte[] Encode(IReadOnlyDictionary<string, string> headers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteUInt32(buffer, (uint)headers.Count);
        foreach (var (name, value) in headers)
        {
            WriteString(buffer, name.ToLowerInvariant());
            WriteString(buffer, value);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one block from the decompressed header stream; a name given twice is the peer's protocol error.</summary>
    public static Dictionary<string, string> Decode(Stream decompressed)
    {
        var count = ReadLength(decompressed);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(decompressed).ToLowerInvariant();
            var value = ReadString(decompressed);
            if (!headers.TryAdd(name, value)) throw new SpdyProtocolException($"header '{name}' given twice in one block");
        }
        return headers;
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteUInt32(buffer, (uint)bytes.Length);
        buffer.Write(bytes);
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> buffer, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static string ReadString(Stream input)
    {
        var bytes = new byte[ReadLength(input)];
        input.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    private static int ReadLength(Stream input)
    {
        Span<byte> word = stackalloc byte[4];
        input.ReadExactly(word);
        var value = BinaryPrimitives.ReadUInt32BigEndian(word);
        return value <= MaxLength ? (int)value : throw new SpdyProtocolException($"header block length {value} is too large");
    }
}
