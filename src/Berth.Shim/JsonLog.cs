using System.Globalization;
using System.Text;

namespace Berth.Shim;

/// <summary>
/// The container's output in Docker's json-file format, one object per line, appended as it is read:
/// <c>{"log":"hello\n","stream":"stdout","time":"2026-11-28T03:40:01.123456700Z"}</c>. Output is split at each '\n';
/// a line without one waits for the rest (across reads) until it reaches 16 KiB or its stream ends, and is then written
/// as a partial entry, as Docker's log copier does. The string is escaped as Go's encoding/json
/// does (HTML characters and U+2028/2029 as \u, invalid UTF-8 as U+FFFD), so Docker's readers take it unchanged.
/// The file rotates by size (<see cref="RotatingLogFile"/>), between entries only.
/// <para>With <paramref name="cri"/>, the same lines go in the Kubernetes CRI's format instead, as kubelet and crictl read
/// it: <c>2026-11-28T03:40:01.123456700Z stdout F hello</c>, the text without its '\n' and unescaped, with the tag
/// <c>P</c> on a piece of a longer line and <c>F</c> on a line's end (the last bytes of a stream end a line, as in
/// containerd).</para>
/// </summary>
public sealed class JsonLog(RotatingLogFile file, bool cri = false) : IDisposable
{
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();
    private byte[] _scratch = new byte[4096];
    private int _length;

    public static JsonLog Open(string path, long maxSize = -1, int maxFiles = 1, bool compress = false, bool cri = false) =>
        new(new RotatingLogFile(path, maxSize, maxFiles, compress), cri);

    public const int MaxLine = 16 * 1024;

    /// <summary>Logs the complete lines of <paramref name="data"/>; the unfinished last one goes to <paramref name="partial"/>.</summary>
    public void Write(bool stderr, ByteQueue partial, ReadOnlySpan<byte> data)
    {
        Span<byte> time = stackalloc byte[40];
        var timeLength = FormatTime(DateTime.UtcNow, time);
        _length = 0;
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                partial.Append(data);
                // Pieces of exactly MaxLine, as Docker and containerd cut a long line, however the reads split it.
                while (partial.Length >= MaxLine)
                {
                    AppendEntry(stderr, partial.Pending[..MaxLine], time[..timeLength], endsLine: false);
                    partial.Consume(MaxLine);
                }
                break;
            }
            var line = data[..(newline + 1)];
            data = data[line.Length..];
            if (partial.Length == 0) AppendLine(stderr, line, time[..timeLength]);
            else
            {
                partial.Append(line);
                AppendLine(stderr, partial.Pending, time[..timeLength]);
                partial.Clear();
            }
        }
        WriteOut();
    }

    /// <summary>The stream ended: what is left of its last line is an entry of its own.</summary>
    public void Flush(bool stderr, ByteQueue partial)
    {
        if (partial.Length == 0) return;
        Span<byte> time = stackalloc byte[40];
        var timeLength = FormatTime(DateTime.UtcNow, time);
        _length = 0;
        AppendLine(stderr, partial.Pending, time[..timeLength]);
        partial.Clear();
        WriteOut();
    }

    /// <summary>One line (its newline included, or the stream's last text), in pieces of at most MaxLine.</summary>
    private void AppendLine(bool stderr, ReadOnlySpan<byte> line, ReadOnlySpan<byte> time)
    {
        while (line.Length > MaxLine && !(line.Length == MaxLine + 1 && line[^1] == (byte)'\n'))
        {
            AppendEntry(stderr, line[..MaxLine], time, endsLine: false);
            line = line[MaxLine..];
        }
        AppendEntry(stderr, line, time);
    }

    private void AppendEntry(bool stderr, ReadOnlySpan<byte> line, ReadOnlySpan<byte> time, bool endsLine = true)
    {
        if (cri)
        {
            AppendCriEntry(stderr, line, time, endsLine);
            return;
        }
        Append("{\"log\":\""u8);
        AppendEscaped(line);
        Append(stderr ? "\",\"stream\":\"stderr\",\"time\":\""u8 : "\",\"stream\":\"stdout\",\"time\":\""u8);
        Append(time);
        Append("\"}\n"u8);
        if (_length >= file.RoomLeft) WriteOut();
    }

    private void AppendCriEntry(bool stderr, ReadOnlySpan<byte> line, ReadOnlySpan<byte> time, bool endsLine)
    {
        Append(time);
        Append(stderr ? " stderr "u8 : " stdout "u8);
        Append(endsLine ? "F "u8 : "P "u8);
        Append(line.EndsWith((byte)'\n') ? line[..^1] : line);
        AppendByte((byte)'\n');
        if (_length >= file.RoomLeft) WriteOut();
    }

    private void WriteOut()
    {
        if (_length > 0) file.Write(_scratch.AsSpan(0, _length));
        _length = 0;
        if (_scratch.Length > 256 * 1024) _scratch = new byte[4096];
    }

    /// <summary>RFC 3339, UTC, nine fractional digits (.NET has 100 ns ticks: the last two are 0).</summary>
    private static int FormatTime(DateTime time, Span<byte> destination)
    {
        time.TryFormat(destination, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture);
        "00Z"u8.CopyTo(destination[written..]);
        return written + 3;
    }

    private void AppendEscaped(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            var b = text[0];
            if (b < 0x80)
            {
                switch (b)
                {
                    case (byte)'"': Append("\\\""u8); break;
                    case (byte)'\\': Append("\\\\"u8); break;
                    case (byte)'\n': Append("\\n"u8); break;
                    case (byte)'\r': Append("\\r"u8); break;
                    case (byte)'\t': Append("\\t"u8); break;
                    case < 0x20 or (byte)'<' or (byte)'>' or (byte)'&': AppendUnicodeEscape(b); break;
                    default: AppendByte(b); break;
                }
                text = text[1..];
                continue;
            }
            var status = Rune.DecodeFromUtf8(text, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) Append("\\ufffd"u8);
            else if (rune.Value is 0x2028 or 0x2029) AppendUnicodeEscape(rune.Value);
            else Append(text[..consumed]);
            text = text[consumed..];
        }
    }

    private void AppendUnicodeEscape(int c)
    {
        Span<byte> escape = [(byte)'\\', (byte)'u', Hex[(c >> 12) & 0xf], Hex[(c >> 8) & 0xf], Hex[(c >> 4) & 0xf], Hex[c & 0xf]];
        Append(escape);
    }

    private void AppendByte(byte b)
    {
        if (_length == _scratch.Length) Array.Resize(ref _scratch, _scratch.Length * 2);
        _scratch[_length++] = b;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _scratch.Length) Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _length + bytes.Length));
        bytes.CopyTo(_scratch.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>The file again at its path; what was written so far stays in the file that was there (renamed or not).</summary>
    public void Reopen() => file.Reopen();

    public void Dispose() => file.Dispose();
}
