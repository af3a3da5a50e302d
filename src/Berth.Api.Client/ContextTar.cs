using System.Formats.Tar;

namespace Berth.Api.Client;

/// <summary>
/// Writes a context tar: every entry owned by 0:0 with no user or group name (docker CLI's <c>ChownOpts</c>), modes
/// and modification times kept; <c>extra</c> files (a Dockerfile from elsewhere, the rewritten <c>.dockerignore</c>)
/// replace the walked entry of the same name or are appended, with mode 0600 as the docker CLI writes them.
/// </summary>
internal static class ContextTar
{
    public static async Task WriteAsync(Stream destination, IReadOnlyList<ContextEntry> entries, IReadOnlyDictionary<string, byte[]>? extra,
        CancellationToken cancellationToken)
    {
        var pending = extra is null ? [] : new Dictionary<string, byte[]>(extra);
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in entries)
        {
            if (pending.Remove(entry.Name, out var replacement))
            {
                await WriteBytesAsync(writer, entry.Name, replacement, entry.Mode, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var tarEntry = Header(entry.Type, entry.Name, entry.Mode, entry.Modified);
            if (entry.LinkTarget is { } target)
                tarEntry.LinkName = target;
            if (entry.Type != TarEntryType.RegularFile)
            {
                await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var file = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                tarEntry.DataStream = file;
                await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var (name, content) in pending.OrderBy(p => p.Key, StringComparer.Ordinal))
            await WriteBytesAsync(writer, name, content, UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteBytesAsync(TarWriter writer, string name, byte[] content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var entry = Header(TarEntryType.RegularFile, name, mode, DateTimeOffset.UtcNow);
        entry.DataStream = new MemoryStream(content, writable: false);
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static PaxTarEntry Header(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset modified) =>
        new(type, name)
        {
            Mode = mode,
            ModificationTime = modified,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
        };
}
