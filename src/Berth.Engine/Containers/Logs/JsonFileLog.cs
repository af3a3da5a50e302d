using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Berth.Engine.Containers.Logs;

/// <summary>One line of Docker's json-file log: the bytes (with their newline), the stream and the time.</summary>
public sealed record LogEntry(LogStream Stream, byte[] Data, DateTime Time);

public enum LogStream { Stdout = 1, Stderr = 2 }

/// <summary>What <c>docker logs</c> asks for.</summary>
public sealed record LogOptions
{
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
    public bool Follow { get; init; }
    public DateTime? Since { get; init; }
    public DateTime? Until { get; init; }
    /// <summary>The last N lines; null for all.</summary>
    public int? Tail { get; init; }
}

/// <summary>
/// Reads a json-file log (<c>{"log":"…","stream":"stdout","time":"…"}</c> per line) as the shim writes it, the rotated
/// files first (<c>&lt;log&gt;.N[.gz]</c> … <c>&lt;log&gt;.1[.gz]</c>, oldest first), as moby's reader goes across them.
/// Following polls the file's growth until <c>stopped</c> completes, then reads what is left and ends; when the shim
/// rotates the file meanwhile, the old one is read to its end and the new one from its start.
/// </summary>
public static class JsonFileLog
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async IAsyncEnumerable<LogEntry> ReadAsync(
        string path, LogOptions options, Task stopped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var older = RotatedFiles(path).SelectMany(file => ReadRotated(file, options));
        if (!File.Exists(path))
        {
            foreach (var entry in Limit(older, options)) yield return entry;
            if (!options.Follow) yield break;
            await stopped.WaitAsync(cancellationToken);
            if (!File.Exists(path)) yield break;
        }
        var file = Open(path);
        try
        {
            var pending = new MemoryStream();
            var buffer = new byte[64 * 1024];
            var first = options.Tail is { } tail ? LastLines(older, file, tail, options) : Limit(older, options);
            foreach (var entry in first) yield return entry;
            while (true)
            {
                var wasStopped = stopped.IsCompleted;
                // Checked before the drain below, so what the old file got before the rotation is read before the switch.
                var rotated = options.Follow && Rotated(path, file);
                int read;
                while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    foreach (var entry in Split(pending, buffer.AsSpan(0, read), options))
                    {
                        if (options.Until is { } until && entry.Time > until) yield break;
                        yield return entry;
                    }
                }
                if (!options.Follow || wasStopped) yield break;
                if (rotated)
                {
                    await file.DisposeAsync();
                    file = Open(path);
                    pending.SetLength(0);
                    continue;
                }
                try
                {
                    await Task.WhenAny(stopped, Task.Delay(PollInterval, cancellationToken)).WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await file.DisposeAsync();
        }
    }

    /// <summary>The rotated files that exist, oldest first: <c>&lt;log&gt;.N</c> or <c>&lt;log&gt;.N.gz</c>, down to 1.</summary>
    public static List<string> RotatedFiles(string path)
    {
        var files = new List<string>();
        for (var n = 1; ; n++)
        {
            var plain = $"{path}.{n}";
            if (File.Exists(plain)) files.Add(plain);
            else if (File.Exists(plain + ".gz")) files.Add(plain + ".gz");
            else break;
        }
        files.Reverse();
        return files;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);

    /// <summary>The path names another file than the one open: the shim has rotated it away.</summary>
    private static bool Rotated(string path, FileStream open) =>
        Berth.Linux.FileStatus.TryGet(path) is { } current && Berth.Linux.FileStatus.TryGetAt(open.SafeFileHandle, "") is { } mine
        && (current.Inode != mine.Inode || current.Device != mine.Device);

    private static IEnumerable<LogEntry> ReadRotated(string file, LogOptions options)
    {
        using var stream = Open(file);
        using var content = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
        var pending = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = content.Read(buffer)) > 0)
            foreach (var entry in Split(pending, buffer.AsSpan(0, read), options)) yield return entry;
    }

    private static IEnumerable<LogEntry> Limit(IEnumerable<LogEntry> entries, LogOptions options) =>
        options.Until is { } until ? entries.TakeWhile(e => e.Time <= until) : entries;

    /// <summary>Positions the current file after the last <paramref name="count"/> wanted lines (of all files) and returns them.</summary>
    private static List<LogEntry> LastLines(IEnumerable<LogEntry> older, FileStream file, int count, LogOptions options)
    {
        var all = new List<LogEntry>(older.TakeLast(Math.Max(count, 0)));
        var pending = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0) all.AddRange(Split(pending, buffer.AsSpan(0, read), options));
        file.Seek(file.Length - pending.Length, SeekOrigin.Begin); // a half-written last line is read again later
        return count <= 0 ? [] : all.Count <= count ? all : all.GetRange(all.Count - count, count);
    }

    private static List<LogEntry> Split(MemoryStream pending, ReadOnlySpan<byte> data, LogOptions options)
    {
        var entries = new List<LogEntry>();
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Write(data);
                break;
            }
            pending.Write(data[..newline]);
            data = data[(newline + 1)..];
            var line = pending.ToArray();
            pending.SetLength(0);
            if (Parse(line) is { } entry && Wanted(entry, options)) entries.Add(entry);
        }
        return entries;
    }

    private static bool Wanted(LogEntry entry, LogOptions options) =>
        (entry.Stream == LogStream.Stdout ? options.Stdout : options.Stderr) &&
        (options.Since is not { } since || entry.Time >= since);

    internal static LogEntry? Parse(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty) return null;
        var reader = new Utf8JsonReader(line);
        string? log = null, stream = null;
        DateTime time = default;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "log": log = reader.GetString(); break;
                    case "stream": stream = reader.GetString(); break;
                    case "time": time = reader.GetDateTime().ToUniversalTime(); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException)
        {
            return null; // a torn last line after a crash
        }
        if (log is null) return null;
        return new LogEntry(stream == "stderr" ? LogStream.Stderr : LogStream.Stdout, Encoding.UTF8.GetBytes(log), time);
    }
}
