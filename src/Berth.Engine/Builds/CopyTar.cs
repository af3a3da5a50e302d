using System.Formats.Tar;
using Berth.Dockerfile;
using Berth.Linux;

namespace Berth.Engine.Builds;

/// <summary>Who copied files belong to and the mode <c>--chmod</c> forces; without <c>--chown</c> everything is root's, as in Docker.</summary>
internal sealed record CopyOwnership(int Uid, int Gid, UnixFileMode? Mode);

/// <summary>
/// The tar a COPY applies to a step's root filesystem: each source placed at its destination (a file at the
/// destination path, or inside it when it is a directory; a directory's contents inside the destination), with its
/// mode and mtime, owned as <see cref="CopyOwnership"/> says. Applying it is the layer applier's job, which resolves
/// every parent inside the root.
/// </summary>
internal static class CopyTar
{
    /// <param name="destination">An absolute path in the image; <paramref name="intoDirectory"/>: sources go inside it.</param>
    /// <param name="createDestination">The destination directory is missing: it is made (0755, the copy's owner).</param>
    /// <param name="root">Where an item's tree is on disk, for its data.</param>
    public static async Task WriteAsync(Stream output, Func<ISourceTree, string> root, IReadOnlyList<CopyItem> items, string destination,
        bool intoDirectory, bool createDestination, CopyOwnership owner, DockerIgnore? ignore, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var target = destination.Trim('/');
        if (createDestination && target.Length > 0)
            await WriteAsync(writer, Entry(TarEntryType.Directory, target + "/", (UnixFileMode)0x1ED, owner, DateTimeOffset.UtcNow), cancellationToken);
        foreach (var item in items)
        {
            var host = item.Path.Length == 0 ? root(item.Tree) : Path.Combine(root(item.Tree), item.Path);
            if (item.IsDirectory)
            {
                foreach (var (relative, status) in CopySources.Contents(item, ignore))
                    await WriteEntryAsync(writer, Join(target, relative), Path.Combine(host, relative), status, owner, cancellationToken);
                continue;
            }
            var name = intoDirectory ? Join(target, Path.GetFileName(item.Name.Length > 0 ? item.Name : item.Path)) : target;
            await WriteEntryAsync(writer, name, host, item.Status, owner, cancellationToken);
        }
    }

    private static async Task WriteEntryAsync(TarWriter writer, string name, string host, FileStatus status, CopyOwnership owner,
        CancellationToken cancellationToken)
    {
        var mode = owner.Mode ?? (UnixFileMode)status.Permissions;
        switch (status.Kind)
        {
            case FileKind.Directory:
                await WriteAsync(writer, Entry(TarEntryType.Directory, name + "/", mode, owner, status.ModificationTime), cancellationToken);
                break;
            case FileKind.Symlink:
                var link = Entry(TarEntryType.SymbolicLink, name, (UnixFileMode)0x1FF, owner, status.ModificationTime);
                link.LinkName = new FileInfo(host).LinkTarget!;
                await WriteAsync(writer, link, cancellationToken);
                break;
            case FileKind.Regular:
                var file = Entry(TarEntryType.RegularFile, name, mode, owner, status.ModificationTime);
                await using (var data = File.OpenRead(host))
                {
                    file.DataStream = data;
                    await WriteAsync(writer, file, cancellationToken);
                }
                break;
            // Devices, fifos and sockets in a context are not copied (a build context is files).
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, CopyOwnership owner, DateTimeOffset mtime) =>
        new(type, name) { Mode = mode, Uid = owner.Uid, Gid = owner.Gid, ModificationTime = mtime };

    private static Task WriteAsync(TarWriter writer, PaxTarEntry entry, CancellationToken cancellationToken) =>
        writer.WriteEntryAsync(entry, cancellationToken);

    private static string Join(string root, string relative) => root.Length == 0 ? relative : root + "/" + relative;
}
