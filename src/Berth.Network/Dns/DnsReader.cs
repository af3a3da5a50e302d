using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>A message that is not well-formed DNS; the server answers FORMERR when it can read the header.</summary>
internal sealed class DnsFormatException(string message) : Exception(message);

/// <summary>
/// Reads DNS messages (RFC 1035 §4.1), following compression pointers (§4.1.4) with a bound on their number and
/// only backwards, so that a hostile message can neither loop nor read outside itself.
/// </summary>
internal static class DnsReader
{
    public const int HeaderSize = 12;
    private const int MaxNameLength = 255, MaxPointers = 64;

    public static DnsMessage Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderSize) throw new DnsFormatException("shorter than a header");
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var counts = new int[4];
        for (var i = 0; i < 4; i++) counts[i] = BinaryPrimitives.ReadUInt16BigEndian(message[(4 + 2 * i)..]);
        var offset = HeaderSize;
        var questions = new List<DnsQuestion>(Math.Min(counts[0], 4));
        for (var i = 0; i < counts[0]; i++)
        {
            var name = ReadName(message, ref offset);
            Need(message, offset, 4);
            questions.Add(new DnsQuestion(name, BinaryPrimitives.ReadUInt16BigEndian(message[offset..]), BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..])));
            offset += 4;
        }
        var answers = ReadRecords(message, ref offset, counts[1]);
        var authorities = ReadRecords(message, ref offset, counts[2]);
        var additionals = ReadRecords(message, ref offset, counts[3]);
        return new DnsMessage
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(message),
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (byte)((flags >> 11) & 0xF),
            Authoritative = (flags & 0x0400) != 0,
            Truncated = (flags & 0x0200) != 0,
            RecursionDesired = (flags & 0x0100) != 0,
            RecursionAvailable = (flags & 0x0080) != 0,
            AuthenticData = (flags & 0x0020) != 0,
            CheckingDisabled = (flags & 0x0010) != 0,
            Rcode = (DnsRcode)(flags & 0xF),
            Questions = questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
        };
    }

    private static List<DnsRecord> ReadRecords(ReadOnlySpan<byte> message, ref int offset, int count)
    {
        var records = new List<DnsRecord>(Math.Min(count, 16));
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(message, ref offset);
            Need(message, offset, 10);
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            offset += 10;
            Need(message, offset, length);
            var data = message.Slice(offset, length).ToArray();
            var record = new DnsRecord(name, type, @class, ttl, data);
            record = type switch
            {
                DnsType.A when length == 4 => record with { Address = new IPAddress(data) },
                DnsType.Aaaa when length == 16 => record with { Address = new IPAddress(data) },
                DnsType.Ptr or DnsType.Cname or DnsType.Ns => record with { Target = ReadNameAt(message, offset, offset + length) },
                _ => record,
            };
            offset += length;
            records.Add(record);
        }
        return records;
    }

    private static string ReadNameAt(ReadOnlySpan<byte> message, int offset, int end)
    {
        var name = ReadName(message, ref offset);
        return offset == end ? name : throw new DnsFormatException("a name that does not fill its record");
    }

    /// <summary>Reads the name at <paramref name="offset"/> and moves it past the name's bytes (a pointer ends them).</summary>
    internal static string ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var name = new StringBuilder();
        var position = offset;
        var jumped = false;
        var pointers = 0;
        var wireLength = 1;
        while (true)
        {
            Need(message, position, 1);
            var length = message[position];
            if ((length & 0xC0) == 0xC0)
            {
                Need(message, position, 2);
                var target = ((length & 0x3F) << 8) | message[position + 1];
                // Only backwards: a pointer to itself or ahead could loop or point into what is being read.
                if (target >= position || ++pointers > MaxPointers) throw new DnsFormatException("a bad compression pointer");
                if (!jumped) offset = position + 2;
                jumped = true;
                position = target;
                continue;
            }
            if ((length & 0xC0) != 0) throw new DnsFormatException("an unknown label type");
            if (length == 0)
            {
                if (!jumped) offset = position + 1;
                return name.ToString();
            }
            Need(message, position + 1, length);
            wireLength += length + 1;
            if (wireLength > MaxNameLength) throw new DnsFormatException("a name longer than 255 bytes");
            if (name.Length > 0) name.Append('.');
            foreach (var b in message.Slice(position + 1, length))
            {
                if (b is (byte)'.' or (byte)'\\') name.Append('\\');
                name.Append((char)b);
            }
            position += 1 + length;
        }
    }

    private static void Need(ReadOnlySpan<byte> message, int offset, int count)
    {
        if (offset + count > message.Length) throw new DnsFormatException("cut short");
    }
}
