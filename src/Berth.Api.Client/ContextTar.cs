using System.Formats.Tar;

namespace Berth.Api.Client;

/// <summary>
/// Writes a context tar: every entry owned by 0:0 with no user or group name (docker CLI's <c>ChownOpts</c>), modes
/// and modification times kept; <c>extra</c> files (a Dockerfile from elsewhere, the rewritten <c>.dockerignore</c>)
/// replace the walked entry of the same name (keeping its mode and time) or are appended with
/// <paramref name="extraMode"/>.
/// </summary>
internal static class ContextTar
{
    public static async Task WriteAsync(Stream destination, IReadOnlyList<ContextEntry> entries, IReadOnlyDictionary<string, byte[]>? extra,
        UnixFileMode extraMode, CancellationToken cancellationToken)
    {
        var pending = extra is null ? [] : new Dictionary<string, byte[]>(extra);
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in entries)
        {
            if (pending.Remove(entry.Name, out var replacement))
            {
                await WriteBytesAsync(writer, entry.Name, replacement, entry.Mode, entry.Modified, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var tarEntry = Header(entry.Type, entry.Name, entry.Mode, entry.Modified, entry.LinkTarget);
            if (entry.Type != TarEntryType.RegularFile)
            {
                await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using var file = File.OpenHandle(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var data = new LocalFileStream(file);
            await using (data.ConfigureAwait(false))
            {
                tarEntry.DataStream = data;
                await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var (name, content) in pending.OrderBy(p => p.Key, StringComparer.Ordinal))
            await WriteBytesAsync(writer, name, content, extraMode, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteBytesAsync(TarWriter writer, string name, byte[] content, UnixFileMode mode, DateTimeOffset modified,
        CancellationToken cancellationToken)
    {
        var entry = Header(TarEntryType.RegularFile, name, mode, modified);
        entry.DataStream = new MemoryStream(content, writable: false);
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A USTAR header when the names fit in it, else PAX: Go's writer chooses so, and it keeps the context as small as
    /// the docker CLI's (PAX headers add a block per entry).
    /// </summary>
    private static PosixTarEntry Header(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset modified, string? link = null)
    {
        PosixTarEntry entry = FitsUstar(name) && (link is null || FitsUstar(link)) ? new UstarTarEntry(type, name) : new PaxTarEntry(type, name);
        entry.Mode = mode;
        entry.ModificationTime = modified;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        if (link is not null)
            entry.LinkName = link;
        return entry;
    }

    private static bool FitsUstar(string text) => text.Length <= 100 && text.All(char.IsAscii);

    /// <summary>
    /// A context file read in place: each read is a <c>pread</c> on the calling thread. An asynchronous file read on
    /// Linux is that same read moved to the thread pool, and for files of a context, served from the page cache in
    /// microseconds, the move costs more than the read.
    /// </summary>
    private sealed class LocalFileStream(Microsoft.Win32.SafeHandles.SafeFileHandle file) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true; // the tar writer takes the entry's size from the length
        public override bool CanWrite => false;
        public override long Length { get; } = RandomAccess.GetLength(file);
        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = RandomAccess.Read(file, buffer, _position);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
