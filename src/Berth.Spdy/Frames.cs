namespace Berth.Spdy;

/// <summary>The control frame types of SPDY/3.1 (draft-mbelshe-httpbis-spdy-00, section 2.6).</summary>
public enum ControlFrameType : ushort
{
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}

/// <summary>Why a stream is reset (RST_STREAM's status code).</summary>
public enum RstStreamStatus : uint
{
    ProtocolError = 1,
    InvalidStream = 2,
    RefusedStream = 3,
    UnsupportedVersion = 4,
    Cancel = 5,
    InternalError = 6,
    FlowControlError = 7,
    StreamInUse = 8,
    StreamAlreadyClosed = 9,
    FrameTooLarge = 11,
}

/// <summary>One SPDY/3.1 frame. Header names are lower case; several values of one name are joined by a NUL byte.</summary>
public abstract record Frame;

public sealed record SynStreamFrame(uint StreamId, uint AssociatedStreamId, byte Priority, bool Fin, IReadOnlyDictionary<string, string> Headers) : Frame;

public sealed record SynReplyFrame(uint StreamId, bool Fin, IReadOnlyDictionary<string, string> Headers) : Frame;

public sealed record HeadersFrame(uint StreamId, bool Fin, IReadOnlyDictionary<string, string> Headers) : Frame;

public sealed record RstStreamFrame(uint StreamId, RstStreamStatus Status) : Frame;

public sealed record Setting(byte Flags, uint Id, uint Value);

public sealed record SettingsFrame(bool ClearSettings, IReadOnlyList<Setting> Settings) : Frame;

public sealed record PingFrame(uint Id) : Frame;

public sealed record GoAwayFrame(uint LastGoodStreamId, uint Status) : Frame;

public sealed record WindowUpdateFrame(uint StreamId, uint DeltaWindowSize) : Frame;

public sealed record DataFrame(uint StreamId, bool Fin, ReadOnlyMemory<byte> Data) : Frame;

/// <summary>A control frame of a type SPDY/3.1 does not define: the spec says to ignore it.</summary>
public sealed record UnknownFrame(ushort Type) : Frame;

/// <summary>The peer broke SPDY/3.1: the connection cannot go on.</summary>
public sealed class SpdyProtocolException(string message, Exception? inner = null) : IOException(message, inner);
