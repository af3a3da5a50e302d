using System.Formats.Tar;
using System.Text;
using Berth.Linux;

namespace Berth.Snapshots.Layers;

/// <summary>
/// Writes a layer (an uncompressed PAX tar) of what a snapshot changed against its parent: added and changed entries
/// as themselves, deletions as <c>.wh.name</c>, opaque overlay dirs as <c>.wh..wh..opq</c>. Entries come in a fixed order,
/// so the same change gives the same bytes apart from mtimes.
/// </summary>
public static class LayerDiff
{
    private const string XattrPrefix = "SCHILY.xattr.";
    private const string OverlayXattrs = "trusted.overlay.";

    /// <summary>The diff of an overlay upper dir: the upper dir is the change, its 0/0 char devices are deletions.</summary>
    public static async Task WriteOverlayUpperAsync(string upper, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var links = new Dictionary<(ulong, ulong), string>();
        foreach (var entry in OverlayUpperEntries(upper))
        {
            if (entry.IsWhiteout)
            {
                await writer.WriteEntryAsync(Marker(Whiteout(entry.Path)), cancellationToken);
                continue;
            }
            await WriteEntryAsync(writer, output, upper, entry.Path, entry.Status, links, cancellationToken);
            if (entry.IsOpaque) await writer.WriteEntryAsync(Marker(entry.Path + "/" + LayerPath.OpaqueMarker), cancellationToken);
        }
    }

    /// <summary>The diff of two full trees (the plain-copy snapshotter): <paramref name="lower"/> is the parent, null for none.</summary>
    public static async Task WriteTreeDiffAsync(string? lower, string upper, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var links = new Dictionary<(ulong, ulong), string>();
        foreach (var (path, status) in TreeChanges(lower, upper))
        {
            if (status is { } present) await WriteEntryAsync(writer, output, upper, path, present, links, cancellationToken);
            else await writer.WriteEntryAsync(Marker(Whiteout(path)), cancellationToken);
        }
    }

    /// <summary>
    /// What an overlay upper dir holds, parents before children: each entry, flagged when it is a whiteout (a 0/0 char
    /// device: the name was deleted) or an opaque dir (what lower layers hold under it is hidden).
    /// </summary>
    internal static IEnumerable<UpperEntry> OverlayUpperEntries(string upper)
    {
        foreach (var (path, status) in FileTree.Walk(upper))
        {
            var isWhiteout = status is { Kind: FileKind.CharDevice, RdevMajor: 0, RdevMinor: 0 };
            var isOpaque = status.Kind == FileKind.Directory && Xattrs.TryGet(Path.Combine(upper, path), "trusted.overlay.opaque") is [(byte)'y'];
            yield return new UpperEntry(path, status, isWhiteout, isOpaque);
        }
    }

    /// <summary>
    /// How <paramref name="upper"/> differs from the full tree <paramref name="lower"/> (null: from nothing): first the
    /// deleted names (a null status), then every added or changed entry, parents before children.
    /// </summary>
    internal static IEnumerable<(string Path, FileStatus? Status)> TreeChanges(string? lower, string upper)
    {
        if (lower is not null)
            foreach (var deleted in Deleted(lower, upper, ""))
                yield return (deleted, null);
        foreach (var (path, status) in FileTree.Walk(upper))
        {
            if (lower is not null && FileStatus.TryGet(Path.Combine(lower, path)) is { } old && Same(old, status, Path.Combine(lower, path), Path.Combine(upper, path)))
                continue;
            yield return (path, status);
        }
    }

    /// <summary>Names in <paramref name="lower"/> that <paramref name="upper"/> lacks; a deleted dir is one name, not its contents.</summary>
    private static IEnumerable<string> Deleted(string lower, string upper, string relative)
    {
        foreach (var name in FileTree.Children(Path.Combine(lower, relative)))
        {
            var child = relative.Length == 0 ? name : relative + "/" + name;
            var now = FileStatus.TryGet(Path.Combine(upper, child));
            if (now is null) yield return child;
            else if (now.Value.Kind == FileKind.Directory && FileStatus.TryGet(Path.Combine(lower, child)) is { Kind: FileKind.Directory })
                foreach (var nested in Deleted(lower, upper, child)) yield return nested;
        }
    }

    private static bool Same(FileStatus a, FileStatus b, string aPath, string bPath)
    {
        if (a.Kind != b.Kind || a.Permissions != b.Permissions || a.Uid != b.Uid || a.Gid != b.Gid) return false;
        if (a.Kind != FileKind.Directory && (a.Size != b.Size || a.ModificationTime != b.ModificationTime)) return false;
        if (a.Kind == FileKind.Symlink && FileDescriptors.TryReadLinkAt(FileTree.CurrentDirectory, aPath) != FileDescriptors.TryReadLinkAt(FileTree.CurrentDirectory, bPath)) return false;
        if (a.Kind is FileKind.CharDevice or FileKind.BlockDevice && (a.RdevMajor != b.RdevMajor || a.RdevMinor != b.RdevMinor)) return false;
        var (aXattrs, bXattrs) = (ExtendedAttributes(aPath), ExtendedAttributes(bPath));
        return aXattrs.Count == bXattrs.Count
            && aXattrs.All(x => bXattrs.TryGetValue(x.Key, out var other) && x.Value.AsSpan().SequenceEqual(other));
    }

    /// <summary>
    /// One entry through <paramref name="writer"/>; one whose xattrs are not all UTF-8 text (a binary
    /// <c>security.capability</c>) is written by <see cref="PaxEntryWriter"/> straight to <paramref name="output"/>,
    /// since TarWriter would re-encode its values.
    /// </summary>
    private static async Task WriteEntryAsync(TarWriter writer, Stream output, string root, string path, FileStatus status,
        Dictionary<(ulong, ulong), string> links, CancellationToken cancellationToken)
    {
        var full = Path.Combine(root, path);
        if (TarEntryKinds.HardLink(links, path, status) is { } hardLink)
        {
            await writer.WriteEntryAsync(hardLink, cancellationToken);
            return;
        }
        if (TarEntryKinds.TypeOf(status.Kind) is not { } type) return; // sockets are not part of an image
        var xattrs = ExtendedAttributes(full);
        var name = type == TarEntryType.Directory ? path + "/" : path;
        var linkName = type == TarEntryType.SymbolicLink ? FileDescriptors.TryReadLinkAt(FileTree.CurrentDirectory, full)! : "";
        if (!xattrs.Values.All(IsUtf8))
        {
            var header = new PaxEntryWriter.Header(type, name, (int)status.Permissions, (int)status.Uid, (int)status.Gid,
                type == TarEntryType.RegularFile ? status.Size : 0, status.ModificationTime)
            {
                LinkName = linkName, DeviceMajor = (int)status.RdevMajor, DeviceMinor = (int)status.RdevMinor,
            };
            await using var content = type == TarEntryType.RegularFile ? File.OpenRead(full) : null;
            await PaxEntryWriter.WriteAsync(output, header, xattrs, content, cancellationToken);
            return;
        }
        var entry = new PaxTarEntry(type, name, xattrs.ToDictionary(x => XattrPrefix + x.Key, x => Encoding.UTF8.GetString(x.Value)))
        {
            Mode = (UnixFileMode)status.Permissions,
            Uid = (int)status.Uid,
            Gid = (int)status.Gid,
            ModificationTime = status.ModificationTime,
        };
        if (type == TarEntryType.SymbolicLink) entry.LinkName = linkName;
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
        await using var data = File.OpenRead(full);
        entry.DataStream = data;
        await writer.WriteEntryAsync(entry, cancellationToken);
    }

    /// <summary>The entry's extended attributes by name, their values as the raw bytes; overlayfs' own are left out.</summary>
    private static Dictionary<string, byte[]> ExtendedAttributes(string path)
    {
        var attributes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in Xattrs.List(path))
        {
            if (name.StartsWith(OverlayXattrs, StringComparison.Ordinal)) continue;
            if (Xattrs.TryGet(path, name) is { } value) attributes[name] = value;
        }
        return attributes;
    }

    private static bool IsUtf8(byte[] value) => global::System.Text.Unicode.Utf8.IsValid(value);

    private static string Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? LayerPath.WhiteoutPrefix + path : path[..(slash + 1)] + LayerPath.WhiteoutPrefix + path[(slash + 1)..];
    }

    private static PaxTarEntry Marker(string name) =>
        new(TarEntryType.RegularFile, name) { Mode = UnixFileMode.None, ModificationTime = DateTimeOffset.UnixEpoch };
}

/// <summary>One name in an overlay upper dir, relative to it.</summary>
internal readonly record struct UpperEntry(string Path, FileStatus Status, bool IsWhiteout, bool IsOpaque);
