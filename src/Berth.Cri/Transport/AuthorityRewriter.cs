using System.Buffers;

namespace Berth.Cri.Transport;

/// <summary>
/// Rewrites the <c>:authority</c> of every request a client sends on an HTTP/2 connection to <c>localhost</c>.
/// <para>
/// The trap: gRPC clients of Kubernetes 1.29 (kubelet, crictl) send the socket's path as the authority over a UNIX
/// socket (<c>/run/berth/cri.sock</c>), which is no valid host; Kestrel resets such a stream with PROTOCOL_ERROR and
/// has no setting to accept it (dotnet/aspnetcore#47043), while Go servers ignore it. On a UNIX socket the authority
/// means nothing, so each HEADERS frame's header block is re-encoded with <c>localhost</c> in its place, before
/// Kestrel parses it.
/// </para>
/// <para>
/// HPACK stays in step: a representation keeps its kind, so a value added to the dynamic table is added on both sides
/// at the same position; the server's copy is only smaller, so it evicts no entry the client still refers to.
/// Frames other than HEADERS, and a HEADERS frame continued in CONTINUATION frames, pass unchanged.
/// </para>
/// </summary>
internal static class AuthorityRewriter
{
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    private const int FrameHeaderLength = 9;
    private const byte HeadersType = 0x1;
    private const byte EndHeaders = 0x4, Padded = 0x8, Priority = 0x20;
    private const int AuthorityIndex = 1; // :authority in HPACK's static table
    private static ReadOnlySpan<byte> Localhost => "localhost"u8;

    /// <summary>
    /// Takes the next whole frame of <paramref name="input"/> and writes it, rewritten, to <paramref name="output"/>;
    /// false (nothing consumed) until a whole frame is there.
    /// </summary>
    public static bool TryRewriteFrame(ref ReadOnlySequence<byte> input, IBufferWriter<byte> output)
    {
        if (input.Length < FrameHeaderLength) return false;
        Span<byte> header = stackalloc byte[FrameHeaderLength];
        input.Slice(0, FrameHeaderLength).CopyTo(header);
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        if (input.Length < FrameHeaderLength + length) return false;
        var frame = input.Slice(0, FrameHeaderLength + length);
        input = input.Slice(frame.End);
        var (type, flags) = (header[3], header[4]);
        if (type != HeadersType || (flags & EndHeaders) == 0 || RewriteHeaders(frame.Slice(FrameHeaderLength).ToArray(), flags) is not { } payload)
        {
            foreach (var segment in frame) output.Write(segment.Span);
            return true;
        }
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[4] = (byte)(flags & ~Padded); // the padding is dropped
        output.Write(header);
        output.Write(payload);
        return true;
    }

    /// <summary>The frame's payload with the authority replaced; null when the block cannot be read (Kestrel then says why).</summary>
    internal static byte[]? RewriteHeaders(byte[] payload, byte flags)
    {
        var start = (flags & Padded) != 0 ? 1 : 0;
        var padding = (flags & Padded) != 0 && payload.Length > 0 ? payload[0] : 0;
        var priority = (flags & Priority) != 0 ? 5 : 0;
        if (start + priority + padding > payload.Length) return null;
        var block = payload.AsSpan(start + priority, payload.Length - start - priority - padding);
        var output = new ArrayBufferWriter<byte>(payload.Length + 16);
        output.Write(payload.AsSpan(start, priority));
        return RewriteBlock(block, output) ? output.WrittenSpan.ToArray() : null;
    }

    private static bool RewriteBlock(ReadOnlySpan<byte> block, ArrayBufferWriter<byte> output)
    {
        var position = 0;
        while (position < block.Length)
        {
            var first = block[position];
            var start = position;
            int prefix = (first & 0x80) != 0 ? 7 : (first & 0xC0) == 0x40 ? 6 : (first & 0xE0) == 0x20 ? 5 : 4;
            if (!TryReadInteger(block, ref position, prefix, out var index)) return false;
            var literal = prefix is 6 or 4;
            if (!literal)
            {
                output.Write(block[start..position]); // an indexed field, or a table size update
                continue;
            }
            var nameStart = position;
            if (index == 0 && !TrySkipString(block, ref position)) return false;
            var valueStart = position;
            if (!TrySkipString(block, ref position)) return false;
            output.Write(block[start..valueStart]);
            if (index == AuthorityIndex || (index == 0 && IsAuthorityName(block[nameStart..valueStart])))
            {
                output.Write([(byte)Localhost.Length]);
                output.Write(Localhost);
            }
            else output.Write(block[valueStart..position]);
        }
        return true;
    }

    private static bool IsAuthorityName(ReadOnlySpan<byte> encoded) => encoded.Length == 11 && encoded[0] == 10 && encoded[1..].SequenceEqual(":authority"u8);

    private static bool TrySkipString(ReadOnlySpan<byte> block, ref int position)
    {
        if (!TryReadInteger(block, ref position, 7, out var length) || length > block.Length - position) return false;
        position += (int)length;
        return true;
    }

    /// <summary>HPACK's integer with an N-bit prefix (RFC 7541, 5.1).</summary>
    private static bool TryReadInteger(ReadOnlySpan<byte> block, ref int position, int prefix, out long value)
    {
        var max = (1 << prefix) - 1;
        value = block[position++] & max;
        if (value < max) return true;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= block.Length) return false;
            var b = block[position++];
            value += (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
}
