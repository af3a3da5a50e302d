using System.Buffers;
using System.Formats.Tar;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Snapshots.Layers;

/// <summary>The state of one layer's unpacking: the names it wrote (for opaque dirs) and the directory metadata set last.</summary>
internal sealed class LayerApplySession(SafeFileHandle root, WhiteoutMode mode, ExtractOptions options)
{
    private const OpenFlags DirectoryPath = OpenFlags.Path | OpenFlags.Directory;
    private const ResolveFlags InRoot = ResolveFlags.InRoot | ResolveFlags.NoMagicLinks;
    private const uint CharDevice = 0x2000, BlockDevice = 0x6000, Fifo = 0x1000;

    private readonly bool _isRoot = FileTree.IsRoot;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly List<(string Path, uint Mode, DateTimeOffset Mtime)> _directories = [];

    public long BytesWritten { get; private set; }

    public async Task ApplyAsync(LayerTarEntry entry, CancellationToken cancellationToken)
    {
        var parts = LayerPath.Split(entry.Name);
        if (parts.Length == 0) return; // the root keeps the snapshot's own owner and mode, as containerd does
        var name = parts[^1];
        var parentPath = string.Join('/', parts[..^1]);
        var isWhiteout = mode != WhiteoutMode.Keep && name.StartsWith(LayerPath.WhiteoutPrefix, StringComparison.Ordinal);
        // A plain deletion under a dir that does not exist has nothing to delete; overlay needs the dir to hold the whiteout.
        using var parent = OpenParent(parts[..^1], entry.Name, create: !isWhiteout || mode == WhiteoutMode.Overlay);
        if (parent is null) return;
        if (isWhiteout && name == LayerPath.OpaqueMarker)
            MakeOpaque(parent, parentPath);
        else if (isWhiteout)
            Whiteout(parent, name[LayerPath.WhiteoutPrefix.Length..], entry.Name);
        else
        {
            var path = Join(parentPath, name);
            await CreateAsync(parent, name, path, entry, cancellationToken);
            _written.Add(path);
        }
    }

    /// <summary>Sets directory modes and mtimes, deepest first, now that nothing more is created in them.</summary>
    public void Finish()
    {
        for (var i = _directories.Count - 1; i >= 0; i--)
        {
            var (path, dirMode, mtime) = _directories[i];
            var parts = path.Split('/');
            using var parent = TryOpenDirectory(parts[..^1], out _);
            if (parent is null || FileStatus.TryGetAt(parent, parts[^1]) is not { Kind: FileKind.Directory }) continue; // replaced later in the layer
            FileOwnership.ChmodAt(parent, parts[^1], dirMode);
            FileTimes.SetAt(parent, parts[^1], mtime, mtime);
        }
    }

    private async Task CreateAsync(SafeFileHandle parent, string name, string path, LayerTarEntry entry, CancellationToken cancellationToken)
    {
        var isDirectory = entry.EntryType == TarEntryType.Directory;
        if (FileStatus.TryGetAt(parent, name) is { } existing && !(isDirectory && existing.Kind == FileKind.Directory))
        {
            if (options.NoOverwriteDirNonDir && (existing.Kind == FileKind.Directory) != isDirectory)
                throw SnapshotException.InvalidArgument(existing.Kind == FileKind.Directory
                    ? $"cannot overwrite directory \"/{path}\" with non-directory \"{entry.Name}\""
                    : $"cannot overwrite non-directory \"/{path}\" with directory \"{entry.Name}\"");
            Remove(parent, name, existing);
        }
        var permissions = entry.Mode;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                FileDescriptors.MkdirAt(parent, name, 0x1C0);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await WriteFileAsync(parent, name, entry, cancellationToken);
                break;
            case TarEntryType.SymbolicLink:
                FileDescriptors.SymlinkAt(entry.LinkName, parent, name);
                break;
            case TarEntryType.HardLink:
                Link(parent, name, entry);
                return; // the link shares its target's inode, owner, mode and times
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                if (!_isRoot) return; // mknod of a device needs CAP_MKNOD; rootless unpacking skips them, as containerd does
                var kind = entry.EntryType == TarEntryType.CharacterDevice ? CharDevice : BlockDevice;
                FileDescriptors.MknodAt(parent, name, kind | permissions, FileTree.MakeDevice((uint)entry.DeviceMajor, (uint)entry.DeviceMinor));
                break;
            case TarEntryType.Fifo:
                FileDescriptors.MknodAt(parent, name, Fifo | permissions, 0);
                break;
            default:
                throw SnapshotException.InvalidArgument($"layer entry {entry.Name}: unsupported type {entry.EntryType}");
        }
        SetMetadata(parent, name, path, entry, permissions);
    }

    private async Task WriteFileAsync(SafeFileHandle parent, string name, LayerTarEntry entry, CancellationToken cancellationToken)
    {
        // O_EXCL|O_NOFOLLOW: whatever stood there was removed above; a name that reappears is not written through.
        using var handle = FileDescriptors.OpenAt2(parent, name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow,
            ResolveFlags.Beneath | ResolveFlags.NoSymlinks, 0x180);
        await using var file = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        if (entry.SparseMap is not { } map)
        {
            await entry.DataStream.CopyToAsync(file, cancellationToken);
            BytesWritten += entry.Length;
            return;
        }
        // Each segment where it belongs; what lies between stays a hole, and the length gives the trailing one.
        foreach (var (offset, length) in map)
        {
            file.Position = offset;
            await CopyExactlyAsync(entry.DataStream, file, length, cancellationToken);
            BytesWritten += length;
        }
        file.SetLength(entry.Length);
    }

    private static async Task CopyExactlyAsync(Stream from, Stream to, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 128 * 1024));
        try
        {
            while (count > 0)
            {
                var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(count, buffer.Length)), cancellationToken);
                if (read == 0) throw new LayerFormatException("a sparse file's data ends before its map");
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Link(SafeFileHandle parent, string name, LayerTarEntry entry)
    {
        var target = LayerPath.Split(entry.LinkName);
        if (target.Length == 0) throw SnapshotException.InvalidArgument($"layer entry {entry.Name}: hard link to the root");
        using var targetParent = TryOpenDirectory(target[..^1], out _);
        var status = targetParent is null ? null : FileStatus.TryGetAt(targetParent, target[^1]);
        if (status is null) throw SnapshotException.InvalidArgument($"layer entry {entry.Name}: hard link target {entry.LinkName} is not in the layer");
        if (status.Value.Kind == FileKind.Directory) throw SnapshotException.InvalidArgument($"layer entry {entry.Name}: hard link to a directory");
        FileLinks.LinkAt(targetParent!, target[^1], parent, name);
    }

    private void SetMetadata(SafeFileHandle parent, string name, string path, LayerTarEntry entry, uint permissions)
    {
        var (uid, gid) = options.Owner ?? ((uint)entry.Uid, (uint)entry.Gid);
        if (_isRoot) FileOwnership.ChownAt(parent, name, uid, gid);
        foreach (var (attribute, value) in entry.Xattrs)
        {
            if (!_isRoot && !attribute.StartsWith("user.", StringComparison.Ordinal)) continue; // trusted.* and security.* need root
            Xattrs.Set(InProc(parent, name), attribute, value);
        }
        if (entry.EntryType == TarEntryType.Directory)
        {
            _directories.Add((path, permissions, entry.ModificationTime));
            return;
        }
        if (entry.EntryType != TarEntryType.SymbolicLink) FileOwnership.ChmodAt(parent, name, permissions); // after chown, which clears setuid
        FileTimes.SetAt(parent, name, entry.ModificationTime, entry.ModificationTime);
    }

    private void MakeOpaque(SafeFileHandle dir, string dirPath)
    {
        if (mode == WhiteoutMode.Overlay)
        {
            Xattrs.Set(InProc(dir, "."), "trusted.overlay.opaque", "y"u8);
            return;
        }
        RemoveUnwritten(dir, dirPath);
    }

    /// <summary>Deletes what lower layers left under an opaque dir, keeping what this layer wrote there.</summary>
    private void RemoveUnwritten(SafeFileHandle dir, string dirPath)
    {
        foreach (var child in FileTree.Children(FileDescriptors.ProcPath(dir)))
        {
            var childPath = Join(dirPath, child);
            if (FileStatus.TryGetAt(dir, child) is not { } status) continue;
            if (!_written.Contains(childPath))
                Remove(dir, child, status);
            else if (status.Kind == FileKind.Directory)
            {
                using var sub = FileDescriptors.OpenAt2(dir, child, DirectoryPath, ResolveFlags.Beneath | ResolveFlags.NoSymlinks);
                RemoveUnwritten(sub, childPath);
            }
        }
    }

    private void Whiteout(SafeFileHandle parent, string name, string entryName)
    {
        if (name.Length == 0 || name is "." or ".." || name.StartsWith(LayerPath.WhiteoutPrefix, StringComparison.Ordinal))
            throw SnapshotException.InvalidArgument($"layer entry {entryName}: not a valid whiteout");
        if (FileStatus.TryGetAt(parent, name) is { } existing) Remove(parent, name, existing);
        if (mode == WhiteoutMode.Overlay) FileDescriptors.MknodAt(parent, name, CharDevice, 0);
    }

    private static void Remove(SafeFileHandle parent, string name, FileStatus existing)
    {
        if (existing.Kind == FileKind.Directory) FileTree.Delete(InProc(parent, name));
        else FileLinks.TryUnlinkAt(parent, name, directory: false);
    }

    /// <summary>The entry's parent dir, resolved inside the root; null when it is missing and <paramref name="create"/> is false.</summary>
    private SafeFileHandle? OpenParent(string[] dirs, string entryName, bool create)
    {
        var whole = TryOpenDirectory(dirs, out var errno);
        if (whole is not null) return whole;
        if (errno != Errno.ENOENT) throw NoParent(entryName, errno);
        if (!create) return null;
        // Create the missing parents one by one, each resolved from the root again (as tar does, 0755).
        var current = TryOpenDirectory([], out errno) ?? throw NoParent(entryName, errno);
        for (var i = 0; i < dirs.Length; i++)
        {
            var next = TryOpenDirectory(dirs[..(i + 1)], out errno);
            if (next is null && errno == Errno.ENOENT)
            {
                FileDescriptors.MkdirAt(current, dirs[i], 0x1ED);
                next = TryOpenDirectory(dirs[..(i + 1)], out errno);
            }
            current.Dispose();
            current = next ?? throw NoParent(entryName, errno);
        }
        return current;
    }

    /// <summary>A directory of the layer by its components, every symlink on the way resolved inside the root.</summary>
    private SafeFileHandle? TryOpenDirectory(string[] dirs, out int errno) =>
        FileDescriptors.TryOpenAt2(root, dirs.Length == 0 ? "." : string.Join('/', dirs), DirectoryPath, InRoot, 0, out errno);

    private static SnapshotException NoParent(string entryName, int errno) =>
        SnapshotException.InvalidArgument($"layer entry {entryName}: its parent is not a directory inside the layer ({LinuxException.Describe(errno)})");

    /// <summary>A path for the l*xattr calls: the kernel follows the descriptor's magic link, never the final name.</summary>
    private static string InProc(SafeFileHandle dir, string name) => FileDescriptors.ProcPath(dir) + "/" + name;

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;
}
