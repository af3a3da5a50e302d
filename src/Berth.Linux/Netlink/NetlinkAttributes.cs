using System.Buffers.Binary;
using System.Text;

namespace Berth.Linux.Netlink;

/// <summary>
/// Walks the attributes of a netlink payload (type, value), each 4-byte aligned. The NLA_F_NESTED and byte-order
/// bits are stripped from the type; a truncated attribute ends the walk rather than reading past the message.
/// </summary>
public ref struct NetlinkAttributes
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkAttributes(ReadOnlySpan<byte> attributes)
    {
        _rest = attributes;
        Type = 0;
        Value = default;
    }

    public ushort Type { get; private set; }

    public ReadOnlySpan<byte> Value { get; private set; }

    public readonly NetlinkAttributes GetEnumerator() => this;

    public readonly NetlinkAttributes Current => this;

    public bool MoveNext()
    {
        if (_rest.Length < 4) return false;
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length) return false;
        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3fff);
        Value = _rest[4..length];
        _rest = _rest[Math.Min((length + 3) & ~3, _rest.Length)..];
        return true;
    }

    public static uint U32(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt32LittleEndian(value);

    /// <summary>A string attribute without its terminating NUL.</summary>
    public static string String(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }
}
