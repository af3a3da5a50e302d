using System.Formats.Tar;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// The local side of <c>berth cp</c>: a tar of a local path named as the copy needs it (docker's TarResource plus the
/// rebase PrepareArchiveCopy does), and the extraction of a container's tar into a local directory with its top name
/// replaced (docker's CopyTo). Nothing is extracted outside the directory; owners are left to the local user, as
/// docker's CLI does.
/// </summary>
internal static class LocalArchive
{
    /// <summary>Writes <paramref name="source"/> (for a directory with <paramref name="contentsOnly"/>, only what it holds) as <paramref name="name"/>.</summary>
    public static async Task WriteAsync(string source, string name, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await WriteTreeAsync(writer, source, name, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteTreeAsync(TarWriter writer, string path, string name, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null;
        await writer.WriteEntryAsync(path, isDirectory ? name.TrimEnd('/') + "/" : name, cancellationToken).ConfigureAwait(false);
        if (!isDirectory) return;
        var children = Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().ToList();
        children.Sort(StringComparer.Ordinal);
        foreach (var child in children)
            await WriteTreeAsync(writer, Path.Combine(path, child), name.TrimEnd('/') + "/" + child, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Extracts <paramref name="tar"/> into <paramref name="directory"/>, the entries named <paramref name="fromBase"/>
    /// (or under it) renamed to <paramref name="toBase"/> when that is given.
    /// </summary>
    public static async Task ExtractAsync(Stream tar, string directory, string? fromBase, string? toBase, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        var directories = new List<(string Path, UnixFileMode Mode, DateTimeOffset Mtime)>();
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var target = Inside(root, Rebase(entry.Name, fromBase, toBase));
            if (target is null) continue;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    directories.Add((target, entry.Mode, entry.ModificationTime));
                    break;
                case TarEntryType.SymbolicLink:
                    RemoveFile(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    var linked = Inside(root, Rebase(entry.LinkName, fromBase, toBase))
                        ?? throw new InvalidDataException($"invalid hardlink {entry.LinkName} in the archive");
                    RemoveFile(target);
                    File.Copy(linked, target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    if (Directory.Exists(target) && new FileInfo(target).LinkTarget is null)
                        throw new IOException($"cannot overwrite directory \"{target}\" with non-directory \"{entry.Name}\"");
                    RemoveFile(target);
                    await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    break; // devices and fifos need root; docker's CLI skips what it cannot make too
            }
        }
        // Directory modes and times last, deepest first, once nothing more is written in them.
        foreach (var (path, mode, mtime) in Enumerable.Reverse(directories))
        {
            File.SetUnixFileMode(path, mode);
            Directory.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
        }
    }

    /// <summary>Docker's RebaseArchiveEntries: <paramref name="fromBase"/> as the first components of a name becomes <paramref name="toBase"/>.</summary>
    internal static string Rebase(string name, string? fromBase, string? toBase)
    {
        if (fromBase is null || toBase is null) return name;
        var trimmed = name.TrimEnd('/');
        if (trimmed == fromBase) return toBase;
        return name.StartsWith(fromBase + "/", StringComparison.Ordinal) ? toBase + name[fromBase.Length..] : name;
    }

    /// <summary>The full path of an entry under <paramref name="root"/>; null for the root itself, an error for one that leaves it.</summary>
    private static string? Inside(string root, string name)
    {
        var full = Path.GetFullPath(Path.Combine(root, name.TrimStart('/')));
        if (full == root) return null;
        return full.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)
            ? full.TrimEnd('/')
            : throw new InvalidDataException($"invalid archive entry {name}: it would leave {root}");
    }

    private static void RemoveFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists || info.LinkTarget is not null) info.Delete();
    }
}
