using System.Buffers.Binary;

namespace Berth.Spdy;

/// <summary>
/// Reads SPDY/3.1 frames off a connection. Every frame starts with 8 bytes: a control frame has the high bit set,
/// the version (3) and its type, then 8 bits of flags and a 24-bit length; a data frame has the stream id, then
/// flags and length. Header blocks are inflated through one context for the connection (<see cref="HeaderDecompressor"/>).
/// </summary>
public sealed class FrameReader(Stream input) : IDisposable
{
    private const ushort Version = 3;
    private readonly HeaderDecompressor _headers = new();
    private readonly byte[] _prefix = new byte[8];

    /// <summary>The next frame, or null when the peer closed the connection between frames.</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = await input.ReadAtLeastAsync(_prefix, _prefix.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0) return null;
        if (read < _prefix.Length) throw new SpdyProtocolException("the connection ended inside a frame header");
        var first = BinaryPrimitives.ReadUInt32BigEndian(_prefix);
        var flags = _prefix[4];
        var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(_prefix.AsSpan(4)) & 0xffffff);
        var payload = new byte[length];
        try
        {
            await input.ReadExactlyAsync(payload, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw new SpdyProtocolException("the connection ended inside a frame", e);
        }
        if ((first & 0x80000000) == 0) return new DataFrame(first & 0x7fffffff, (flags & 1) != 0, payload);
        var version = (ushort)((first >> 16) & 0x7fff);
        if (version != Version) throw new SpdyProtocolException($"SPDY version {version} is not supported");
        return ParseControl((ushort)(first & 0xffff), flags, payload);
    }

    private Frame ParseControl(ushort type, byte flags, byte[] payload)
    {
        var fin = (flags & 1) != 0;
        return (ControlFrameType)type switch
        {
            ControlFrameType.SynStream => new SynStreamFrame(StreamId(payload, 0, 10), StreamId(payload, 4, 10), (byte)(payload[8] >> 5), fin,
                _headers.Decompress(payload.AsMemory(10))),
            ControlFrameType.SynReply => new SynReplyFrame(StreamId(payload, 0, 4), fin, _headers.Decompress(payload.AsMemory(4))),
            ControlFrameType.Headers => new HeadersFrame(StreamId(payload, 0, 4), fin, _headers.Decompress(payload.AsMemory(4))),
            ControlFrameType.RstStream => new RstStreamFrame(StreamId(payload, 0, 8), (RstStreamStatus)Word(payload, 4)),
            ControlFrameType.Settings => ParseSettings(flags, payload),
            ControlFrameType.Ping => new PingFrame(Word(Exactly(payload, 4), 0)),
            ControlFrameType.GoAway => new GoAwayFrame(StreamId(payload, 0, 8), Word(payload, 4)),
            ControlFrameType.WindowUpdate => new WindowUpdateFrame(StreamId(payload, 0, 8), Word(payload, 4) & 0x7fffffff),
            _ => new UnknownFrame(type),
        };
    }

    private static SettingsFrame ParseSettings(byte flags, byte[] payload)
    {
        var count = Word(payload, 0);
        if (payload.Length != 4 + (long)count * 8) throw new SpdyProtocolException("a SETTINGS frame's length does not match its count");
        var settings = new List<Setting>((int)count);
        for (var i = 0; i < count; i++)
        {
            var flagsAndId = Word(payload, 4 + i * 8);
            settings.Add(new Setting((byte)(flagsAndId >> 24), flagsAndId & 0xffffff, Word(payload, 8 + i * 8)));
        }
        return new SettingsFrame((flags & 1) != 0, settings);
    }

    private static uint StreamId(byte[] payload, int offset, int minLength) => Word(AtLeast(payload, minLength), offset) & 0x7fffffff;

    private static uint Word(byte[] payload, int offset) =>
        offset + 4 <= payload.Length ? BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(offset)) : throw new SpdyProtocolException("a control frame is too short");

    private static byte[] AtLeast(byte[] payload, int length) =>
        payload.Length >= length ? payload : throw new SpdyProtocolException("a control frame is too short");

    private static byte[] Exactly(byte[] payload, int length) =>
        payload.Length == length ? payload : throw new SpdyProtocolException("a control frame has the wrong length");

    public void Dispose() => _headers.Dispose();
}
