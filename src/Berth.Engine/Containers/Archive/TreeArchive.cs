using System.Formats.Tar;
using Berth.Linux;
using Berth.Snapshots.Layers;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Archive;

/// <summary>
/// Writes a tar of a tree in a container's filesystem (<c>docker cp</c>'s and <c>docker export</c>'s), read through
/// descriptors only: each directory is opened beneath its parent with symlinks refused and each file is opened without
/// following it, so a running container that swaps a directory for a link meanwhile cannot make the daemon read
/// outside it. Entries come parents first, siblings in ordinal order; files with several links become hard links.
/// </summary>
internal sealed class TreeArchive(TarWriter writer, ContainerFileSystem? mounts)
{
    private const OpenFlags DirectoryPath = OpenFlags.Path | OpenFlags.Directory;
    private const ResolveFlags Beneath = ResolveFlags.Beneath | ResolveFlags.NoSymlinks | ResolveFlags.NoMagicLinks;

    private readonly Dictionary<(ulong, ulong), string> _links = [];

    /// <summary>
    /// Writes <paramref name="start"/> as <paramref name="tarName"/> and, for a directory, everything under it;
    /// an empty <paramref name="tarName"/> writes only what is under it, named relative to it (export's form).
    /// With <paramref name="mounts"/>, a mount's destination is read from the mount's source (cp's view).
    /// </summary>
    public static async Task WriteAsync(Stream output, ResolvedPath start, string tarName, ContainerFileSystem? mounts, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await new TreeArchive(writer, mounts).WriteTreeAsync(start.Directory, start.Name, start.ContainerPath, tarName, cancellationToken);
    }

    private async Task WriteTreeAsync(SafeFileHandle dir, string name, string containerPath, string tarName, CancellationToken cancellationToken)
    {
        if (FileStatus.TryGetAt(dir, name) is not { } status) return; // gone meanwhile
        if (tarName.Length > 0) await WriteEntryAsync(dir, name, tarName, status, cancellationToken);
        if (status.Kind != FileKind.Directory) return;
        using var self = FileDescriptors.TryOpenAt2(dir, name.Length == 0 ? "." : name, DirectoryPath, Beneath, 0, out _);
        if (self is null) return; // replaced meanwhile
        foreach (var child in Children(self))
        {
            var childPath = containerPath.TrimEnd('/') + "/" + child;
            var childName = tarName.Length == 0 ? child : tarName.TrimEnd('/') + "/" + child;
            if (mounts?.MountAt(childPath) is { } mount)
            {
                using (mount) await WriteTreeAsync(mount.Directory, mount.Name, childPath, childName, cancellationToken);
                continue;
            }
            await WriteTreeAsync(self, child, childPath, childName, cancellationToken);
        }
    }

    private async Task WriteEntryAsync(SafeFileHandle dir, string name, string tarName, FileStatus status, CancellationToken cancellationToken)
    {
        if (TarEntryKinds.HardLink(_links, tarName, status) is { } hardLink)
        {
            await writer.WriteEntryAsync(hardLink, cancellationToken);
            return;
        }
        if (TarEntryKinds.TypeOf(status.Kind) is not { } type) return;
        var entry = new PaxTarEntry(type, type == TarEntryType.Directory ? tarName.TrimEnd('/') + "/" : tarName)
        {
            Mode = (UnixFileMode)status.Permissions,
            Uid = (int)status.Uid,
            Gid = (int)status.Gid,
            ModificationTime = status.ModificationTime,
        };
        if (type == TarEntryType.SymbolicLink)
        {
            if (FileDescriptors.TryReadLinkAt(dir, name) is not { Length: > 0 } target) return; // replaced meanwhile
            entry.LinkName = target;
        }
        if (type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
        {
            entry.DeviceMajor = (int)status.RdevMajor;
            entry.DeviceMinor = (int)status.RdevMinor;
        }
        if (type != TarEntryType.RegularFile)
        {
            await writer.WriteEntryAsync(entry, cancellationToken);
            return;
        }
        // Replaced meanwhile (gone, or a link now): left out, as if the walk had come a moment later.
        using var handle = TryOpenFile(dir, name);
        if (handle is null) return;
        await using var data = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        // A file that grows while it is read must not overrun the size its header announced.
        entry.DataStream = new BoundedStream(data, status.Size);
        await writer.WriteEntryAsync(entry, cancellationToken);
    }

    private static SafeFileHandle? TryOpenFile(SafeFileHandle dir, string name)
    {
        if (name.Length == 0) return FileDescriptors.Open(FileDescriptors.ProcPath(dir), OpenFlags.ReadOnly | OpenFlags.NonBlock);
        var handle = FileDescriptors.TryOpenAt2(dir, name, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlock, Beneath, 0, out var errno);
        return handle ?? (errno is Errno.ENOENT or Errno.ELOOP ? null : throw new LinuxException("openat2", name, errno));
    }

    private static List<string> Children(SafeFileHandle dir)
    {
        var names = Directory.EnumerateFileSystemEntries(FileDescriptors.ProcPath(dir)).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
