using System.Formats.Tar;
using Berth.Linux;

namespace Berth.Snapshots.Layers;

/// <summary>What writers of tars from a tree share: a file kind's entry type, and hard links written once, then as links.</summary>
public static class TarEntryKinds
{
    /// <summary>The entry type of a file kind; null for sockets, which tar has no entry for (Go's archive/tar skips them too).</summary>
    public static TarEntryType? TypeOf(FileKind kind) => kind switch
    {
        FileKind.Directory => TarEntryType.Directory,
        FileKind.Regular => TarEntryType.RegularFile,
        FileKind.Symlink => TarEntryType.SymbolicLink,
        FileKind.CharDevice => TarEntryType.CharacterDevice,
        FileKind.BlockDevice => TarEntryType.BlockDevice,
        FileKind.Fifo => TarEntryType.Fifo,
        _ => null,
    };

    /// <summary>
    /// A hard link entry to the first name written for the same inode, or null when this is the first (now recorded in
    /// <paramref name="links"/>) or the file has one link.
    /// </summary>
    public static PaxTarEntry? HardLink(Dictionary<(ulong, ulong), string> links, string name, FileStatus status)
    {
        if (status.Kind == FileKind.Directory || status.LinkCount <= 1) return null;
        if (links.TryGetValue((status.Device, status.Inode), out var first))
            return new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = first, ModificationTime = status.ModificationTime };
        links[(status.Device, status.Inode)] = name;
        return null;
    }
}
