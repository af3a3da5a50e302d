using Berth.Linux;

namespace Berth.Snapshots;

/// <summary>
/// Copies a tree as a layer would recreate it: owners, modes, mtimes, xattrs, symlinks, hard links (within the tree),
/// device nodes and fifos. Directory metadata is set after the directory's children, so their creation does not undo it.
/// </summary>
public static class TreeCopy
{
    public static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        CopyChildren(source, destination, new Dictionary<(ulong, ulong), string>());
        CopyMetadata(source, destination, FileStatus.Get(source));
    }

    private static void CopyChildren(string source, string destination, Dictionary<(ulong Device, ulong Inode), string> links)
    {
        foreach (var name in FileTree.Children(source))
        {
            var from = Path.Combine(source, name);
            var to = Path.Combine(destination, name);
            if (FileStatus.TryGet(from) is not { } status) continue;
            if (status.Kind != FileKind.Directory && status.LinkCount > 1)
            {
                if (links.TryGetValue((status.Device, status.Inode), out var first))
                {
                    FileLinks.LinkAt(FileTree.CurrentDirectory, first, FileTree.CurrentDirectory, to);
                    continue;
                }
                links[(status.Device, status.Inode)] = to;
            }
            switch (status.Kind)
            {
                case FileKind.Directory:
                    Directory.CreateDirectory(to);
                    CopyChildren(from, to, links);
                    break;
                case FileKind.Regular:
                    File.Copy(from, to);
                    break;
                case FileKind.Symlink:
                    FileDescriptors.SymlinkAt(FileDescriptors.TryReadLinkAt(FileTree.CurrentDirectory, from)!, FileTree.CurrentDirectory, to);
                    break;
                case FileKind.CharDevice or FileKind.BlockDevice or FileKind.Fifo:
                    FileDescriptors.MknodAt(FileTree.CurrentDirectory, to, status.Mode, FileTree.MakeDevice(status.RdevMajor, status.RdevMinor));
                    break;
                default:
                    continue; // sockets belong to a running process, not to a file system image
            }
            CopyMetadata(from, to, status);
        }
    }

    private static void CopyMetadata(string from, string to, FileStatus status)
    {
        if (FileTree.IsRoot) FileOwnership.ChownAt(FileTree.CurrentDirectory, to, status.Uid, status.Gid);
        if (status.Kind != FileKind.Symlink) FileOwnership.ChmodAt(FileTree.CurrentDirectory, to, status.Permissions);
        foreach (var name in Xattrs.List(from))
        {
            if (!FileTree.IsRoot && !name.StartsWith("user.", StringComparison.Ordinal)) continue;
            if (Xattrs.TryGet(from, name) is { } value) Xattrs.Set(to, name, value);
        }
        FileTimes.SetAt(FileTree.CurrentDirectory, to, status.ModificationTime, status.ModificationTime);
    }
}
