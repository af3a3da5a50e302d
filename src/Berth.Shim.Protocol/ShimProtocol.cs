using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Berth.Shim.Protocol;

/// <summary>What a stream frame carries.</summary>
public enum ShimFrameType : byte
{
    Stdout = 1,
    Stderr = 2,

    /// <summary>An exec's end: the payload is its exit code, int32 big-endian. The last frame of an exec stream.</summary>
    Exit = 3,
}

/// <summary>How a container or exec ended: the code (or 128 + signal) and when.</summary>
public sealed record ExitRecord(int ExitCode, DateTime ExitedAt, bool OomKilled);

/// <summary>
/// The wire format between berthd and berth-shim, over the shim's UNIX socket. A client sends one JSON line, the shim
/// answers one JSON line; for attach and exec the connection then carries a stream:
/// <code>
/// client → shim   {"op":"attach","stdin":true,"stdout":true,"stderr":true}\n   then raw stdin bytes; SHUT_WR = stdin EOF
///                 {"op":"update","resources":{…}}\n  {"op":"pids"}\n → {"pids":[…]}\n
/// shim → client   {"ok":true}\n                                              then frames:
///                 [type:u8][0][0][0][length:u32 big-endian][payload]           type 1 stdout, 2 stderr, 3 exit (exec)
/// errors          {"error":"message"}\n
/// </code>
/// JSON is written with Utf8JsonWriter and read with JsonDocument (no reflection metadata: the shim is NativeAOT and
/// starts once per container).
/// </summary>
public static class ShimProtocol
{
    public const int FrameHeaderSize = 8;

    /// <summary>The longest request or response line either side accepts (an exec's process object is the largest).</summary>
    public const int MaxLineLength = 1 << 20;

    public static void WriteFrameHeader(Span<byte> header, ShimFrameType type, int length)
    {
        header[0] = (byte)type;
        header[1] = header[2] = header[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)length);
    }

    public static (ShimFrameType Type, int Length) ReadFrameHeader(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (header[0] is < 1 or > 3 || length > int.MaxValue) throw new ShimProtocolException($"bad frame header (type {header[0]}, length {length})");
        return ((ShimFrameType)header[0], (int)length);
    }

    /// <summary>An exec's exit frame, header and payload.</summary>
    public static byte[] ExitFrame(int exitCode)
    {
        var frame = new byte[FrameHeaderSize + 4];
        WriteFrameHeader(frame, ShimFrameType.Exit, 4);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(FrameHeaderSize), exitCode);
        return frame;
    }

    public static byte[] EncodeRequest(ShimRequest request) => Line(w =>
    {
        w.WriteString("op", request.Op);
        switch (request.Op)
        {
            case ShimOps.Attach:
                w.WriteBoolean("stdin", request.Stdin);
                w.WriteBoolean("stdout", request.Stdout);
                w.WriteBoolean("stderr", request.Stderr);
                break;
            case ShimOps.Exec:
                w.WritePropertyName("process");
                using (var process = JsonDocument.Parse(request.Process)) process.RootElement.WriteTo(w);
                w.WriteBoolean("stdin", request.Stdin);
                break;
            case ShimOps.Update:
                w.WritePropertyName("resources");
                using (var resources = JsonDocument.Parse(request.Resources)) resources.RootElement.WriteTo(w);
                break;
            case ShimOps.Kill:
                w.WriteNumber("signal", request.Signal);
                w.WriteBoolean("all", request.All);
                break;
            case ShimOps.Resize:
                w.WriteNumber("height", request.Height);
                w.WriteNumber("width", request.Width);
                if (request.Pid is { } pid) w.WriteNumber("pid", pid);
                break;
        }
    });

    /// <summary>Reads a request line; a malformed one is a <see cref="ShimProtocolException"/> with a message for the client.</summary>
    public static ShimRequest DecodeRequest(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ShimProtocolException("request must be a JSON object");
            var op = String(root, "op") ?? throw new ShimProtocolException("request has no op");
            return new ShimRequest(op)
            {
                Stdin = Bool(root, "stdin"),
                Stdout = Bool(root, "stdout"),
                Stderr = Bool(root, "stderr"),
                All = Bool(root, "all"),
                Signal = Int(root, "signal") ?? 0,
                Height = Int(root, "height") ?? 0,
                Width = Int(root, "width") ?? 0,
                Pid = Int(root, "pid"),
                Process = RawObject(root, "process"),
                Resources = RawObject(root, "resources"),
            };
        }
        catch (JsonException e)
        {
            throw new ShimProtocolException($"bad request: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw new ShimProtocolException($"bad request: {e.Message}");
        }
    }

    public static byte[] Ok() => "{\"ok\":true}\n"u8.ToArray();

    public static byte[] OkWithPid(int pid) => Line(w =>
    {
        w.WriteBoolean("ok", true);
        w.WriteNumber("pid", pid);
    });

    public static byte[] Error(string message) => Line(w => w.WriteString("error", message));

    public static byte[] Pids(IReadOnlyList<int> pids) => Line(w =>
    {
        w.WriteStartArray("pids");
        foreach (var pid in pids) w.WriteNumberValue(pid);
        w.WriteEndArray();
    });

    public static byte[] State(int pid, string status) => Line(w =>
    {
        w.WriteNumber("pid", pid);
        w.WriteString("status", status);
    });

    /// <summary>The exit record as the wait answer and the exit file hold it.</summary>
    public static byte[] Exit(ExitRecord exit) => Line(w =>
    {
        w.WriteNumber("exitCode", exit.ExitCode);
        w.WriteString("exitedAt", FormatTime(exit.ExitedAt));
        w.WriteBoolean("oomKilled", exit.OomKilled);
    });

    /// <summary>The ready line berth-shim writes on its stdout once the container is created.</summary>
    public static byte[] Ready(int pid) => Line(w => w.WriteNumber("pid", pid));

    /// <summary>Reads any answer line (ok, error, state, exit, ready).</summary>
    public static ShimResponse DecodeResponse(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ShimProtocolException("shim answer is not a JSON object");
            ExitRecord? exit = null;
            if (Int(root, "exitCode") is { } code)
                exit = new ExitRecord(code, ParseTime(String(root, "exitedAt")), Bool(root, "oomKilled"));
            IReadOnlyList<int>? pids = root.TryGetProperty("pids", out var list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Select(p => p.GetInt32())] : null;
            return new ShimResponse(String(root, "error"), Bool(root, "ok"), Int(root, "pid"), String(root, "status"), exit, pids);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ShimProtocolException($"bad answer from shim: {e.Message}");
        }
    }

    /// <summary>RFC 3339 in UTC with nine fractional digits, as Docker writes times (.NET keeps 100 ns: the last two are 0).</summary>
    public static string FormatTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'00Z'", CultureInfo.InvariantCulture);

    public static DateTime ParseTime(string? value) =>
        value is null ? default : DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static byte[] Line(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        var line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static ReadOnlyMemory<byte> RawObject(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? System.Text.Encoding.UTF8.GetBytes(v.GetRawText()) : default;

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
