using System.Buffers.Binary;

namespace Berth.Network.Dns;

/// <summary>
/// Writes DNS messages, compressing names against those already written (RFC 1035 §4.1.4). When the message would
/// pass <c>maxSize</c> (512 over UDP, more if the query's EDNS offers it, 65535 over TCP) it keeps the records that
/// fit, sets TC and stops, as miekg/dns's Truncate does for Docker's resolver, so the client retries over TCP.
/// </summary>
internal sealed class DnsWriter
{
    private const int MaxMessage = 65535;

    private readonly Dictionary<string, int> _names = new(StringComparer.OrdinalIgnoreCase);
    private byte[] _buffer = new byte[512];
    private int _length;

    public static byte[] Write(DnsMessage message, int maxSize = MaxMessage) => new DnsWriter().WriteMessage(message, Math.Min(maxSize, MaxMessage));

    private byte[] WriteMessage(DnsMessage message, int maxSize)
    {
        WriteHeader(message);
        foreach (var question in message.Questions)
        {
            WriteName(question.Name);
            WriteUInt16(question.Type);
            WriteUInt16(question.Class);
        }
        int[] counts = [0, 0, 0];
        var truncated = _length > maxSize;
        IReadOnlyList<DnsRecord>[] sections = [message.Answers, message.Authorities, message.Additionals];
        for (var section = 0; section < sections.Length && !truncated; section++)
        {
            foreach (var record in sections[section])
            {
                var before = _length;
                WriteRecord(record);
                if (_length > maxSize)
                {
                    _length = before;
                    truncated = true;
                    break;
                }
                counts[section]++;
            }
        }
        for (var i = 0; i < 3; i++) BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(6 + 2 * i), (ushort)counts[i]);
        if (truncated || message.Truncated) _buffer[2] |= 0x02;
        return _buffer.AsSpan(0, _length).ToArray();
    }

    private void WriteHeader(DnsMessage message)
    {
        WriteUInt16(message.Id);
        var flags = (message.IsResponse ? 0x8000 : 0) | ((message.Opcode & 0xF) << 11) | (message.Authoritative ? 0x0400 : 0)
            | (message.RecursionDesired ? 0x0100 : 0) | (message.RecursionAvailable ? 0x0080 : 0) | (message.AuthenticData ? 0x0020 : 0)
            | (message.CheckingDisabled ? 0x0010 : 0) | ((int)message.Rcode & 0xF);
        WriteUInt16((ushort)flags);
        WriteUInt16((ushort)message.Questions.Count);
        WriteUInt16(0); // answers, authorities and additionals: set once known what fits
        WriteUInt16(0);
        WriteUInt16(0);
    }

    private void WriteRecord(DnsRecord record)
    {
        WriteName(record.Name);
        WriteUInt16(record.Type);
        WriteUInt16(record.Class);
        WriteUInt32(record.Ttl);
        var lengthAt = _length;
        WriteUInt16(0);
        if (record.Target is { } target && record.Type is DnsType.Ptr or DnsType.Cname or DnsType.Ns) WriteName(target);
        else WriteBytes(record.Data);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(lengthAt), (ushort)(_length - lengthAt - 2));
    }

    private void WriteName(string name)
    {
        var labels = Labels(name);
        for (var i = 0; i < labels.Count; i++)
        {
            var suffix = string.Join('.', labels.Skip(i).Select(l => l.Escaped));
            if (_names.TryGetValue(suffix, out var pointer))
            {
                WriteUInt16((ushort)(0xC000 | pointer));
                return;
            }
            if (_length <= 0x3FFF) _names[suffix] = _length;
            var label = labels[i].Raw;
            if (label.Length is 0 or > 63) throw new ArgumentException($"invalid DNS name {name}", nameof(name));
            Ensure(1 + label.Length);
            _buffer[_length++] = (byte)label.Length;
            foreach (var c in label) _buffer[_length++] = (byte)c;
        }
        Ensure(1);
        _buffer[_length++] = 0;
    }

    /// <summary>The labels of a dotted name, each raw (as on the wire) and escaped (as in the name); "" or "." is the root.</summary>
    private static List<(string Raw, string Escaped)> Labels(string name)
    {
        var labels = new List<(string, string)>();
        if (name == ".") return labels;
        var raw = new System.Text.StringBuilder();
        var start = 0;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\' && i + 1 < name.Length)
            {
                raw.Append(name[++i]);
                continue;
            }
            if (name[i] != '.')
            {
                raw.Append(name[i]);
                continue;
            }
            labels.Add((raw.ToString(), name[start..i]));
            raw.Clear();
            start = i + 1;
        }
        if (start < name.Length) labels.Add((raw.ToString(), name[start..]));
        return labels;
    }

    private void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), value);
        _length += 2;
    }

    private void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
