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
/// Reads a json-file log (<c>{"log":"…","stream":"stdout","time":"…"}</c> per line) as the shim writes it. Following
/// polls the file's growth until <c>stopped</c> completes, then reads what is left and ends.
/// </summary>
public static class JsonFileLog
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async IAsyncEnumerable<LogEntry> ReadAsync(
        string path, LogOptions options, Task stopped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            if (!options.Follow) yield break;
            await stopped.WaitAsync(cancellationToken);
            if (!File.Exists(path)) yield break;
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        var pending = new MemoryStream();
        var buffer = new byte[64 * 1024];

        if (options.Tail is { } tail)
        {
            foreach (var entry in LastLines(file, tail, options)) yield return entry;
        }

        while (true)
        {
            var wasStopped = stopped.IsCompleted;
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

    /// <summary>Positions the file after the last <paramref name="count"/> wanted lines and returns them.</summary>
    private static List<LogEntry> LastLines(FileStream file, int count, LogOptions options)
    {
        var all = new List<LogEntry>();
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
