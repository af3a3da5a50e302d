using System.Buffers.Binary;

namespace Berth.Spdy;

/// <summary>
/// Writes SPDY/3.1 frames to a connection, one at a time: header blocks are compressed through one context for the
/// connection, so the order they are compressed in must be the order they go out in, and both happen under one lock.
/// </summary>
public sealed class FrameWriter(Stream output)
{
    private const ushort Version = 3;

    /// <summary>The largest data frame payload (24 bits of length).</summary>
    public const int MaxDataLength = (1 << 24) - 1;

    private readonly HeaderCompressor _headers = new();
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async ValueTask WriteAsync(Frame frame, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await output.WriteAsync(Encode(frame), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    private byte[] Encode(Frame frame) => frame switch
    {
        DataFrame data => Data(data),
        SynStreamFrame syn => Control(ControlFrameType.SynStream, syn.Fin ? (byte)1 : (byte)0,
            [.. Words(syn.StreamId, syn.AssociatedStreamId), (byte)(syn.Priority << 5), 0, .. _headers.Compress(syn.Headers)]),
        SynReplyFrame reply => Control(ControlFrameType.SynReply, reply.Fin ? (byte)1 : (byte)0, [.. Words(reply.StreamId), .. _headers.Compress(reply.Headers)]),
        HeadersFrame headers => Control(ControlFrameType.Headers, headers.Fin ? (byte)1 : (byte)0, [.. Words(headers.StreamId), .. _headers.Compress(headers.Headers)]),
        RstStreamFrame rst => Control(ControlFrameType.RstStream, 0, Words(rst.StreamId, (uint)rst.Status)),
        SettingsFrame settings => Control(ControlFrameType.Settings, settings.ClearSettings ? (byte)1 : (byte)0,
            Words([(uint)settings.Settings.Count, .. settings.Settings.SelectMany(s => new[] { ((uint)s.Flags << 24) | s.Id, s.Value })])),
        PingFrame ping => Control(ControlFrameType.Ping, 0, Words(ping.Id)),
        GoAwayFrame goAway => Control(ControlFrameType.GoAway, 0, Words(goAway.LastGoodStreamId, goAway.Status)),
        WindowUpdateFrame update => Control(ControlFrameType.WindowUpdate, 0, Words(update.StreamId, update.DeltaWindowSize)),
        _ => throw new ArgumentException($"{frame.GetType().Name} cannot be written", nameof(frame)),
    };

    private static byte[] Data(DataFrame data)
    {
        if (data.StreamId is 0 or > 0x7fffffff) throw new ArgumentException("a data frame needs a stream id of 31 bits, not 0", nameof(data));
        if (data.Data.Length > MaxDataLength) throw new ArgumentException("a data frame holds at most 16 MiB", nameof(data));
        var bytes = new byte[8 + data.Data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, data.StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (data.Fin ? 1u << 24 : 0) | (uint)data.Data.Length);
        data.Data.Span.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    private static byte[] Control(ControlFrameType type, byte flags, byte[] payload)
    {
        var bytes = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x80000000u | ((uint)Version << 16) | (ushort)type);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), ((uint)flags << 24) | (uint)payload.Length);
        payload.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    private static byte[] Words(params uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), words[i]);
        return bytes;
    }
}
