using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Linux.Netlink;

/// <summary>
/// Builds one netlink message in a caller's buffer: the 16-byte header, a fixed family header (ifinfomsg, ifaddrmsg,
/// rtmsg…), then attributes, each 4-byte aligned, nested ones closed by <see cref="EndNested"/> which writes their
/// length once their content is known. Host byte order throughout, as the kernel reads it.
/// </summary>
public ref struct NetlinkMessageWriter
{
    public const int HeaderSize = 16;
    private const ushort NlaFNested = 0x8000;
    private readonly Span<byte> _buffer;
    private int _length;

    /// <summary>Starts a message of <paramref name="type"/> with <paramref name="flags"/> (NLM_F_*); the sequence number is set on send.</summary>
    public NetlinkMessageWriter(Span<byte> buffer, ushort type, ushort flags)
    {
        _buffer = buffer;
        _buffer[..HeaderSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[6..], flags);
        _length = HeaderSize;
    }

    /// <summary>The message so far, its length field up to date.</summary>
    public readonly Span<byte> Message
    {
        get
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
            return _buffer[.._length];
        }
    }

    /// <summary>Appends a fixed-layout struct (the family header), padded to 4 bytes.</summary>
    public void Append<T>(scoped in T value) where T : unmanaged => Append(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    public void Attribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var total = 4 + value.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[_length..], (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[(_length + 2)..], type);
        value.CopyTo(_buffer[(_length + 4)..]);
        Pad(_length + total);
    }

    public void Attribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Attribute(type, bytes);
    }

    /// <summary>A NUL-terminated string attribute (interface names, link kinds).</summary>
    public void Attribute(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[^1] = 0;
        Attribute(type, bytes);
    }

    /// <summary>Opens a nested attribute; returns the offset to hand to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[(start + 2)..], (ushort)(type | NlaFNested));
        _length += 4;
        return start;
    }

    public readonly void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(_length - start));

    private void Append(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_length..]);
        Pad(_length + bytes.Length);
    }

    private void Pad(int end)
    {
        var aligned = (end + 3) & ~3;
        _buffer[end..aligned].Clear();
        _length = aligned;
    }
}
