using Berth.Linux;

namespace Berth.Snapshots.Layers;

/// <summary>Docker's change kinds, with its numbers (<c>docker diff</c> prints them as C, A and D).</summary>
public enum ChangeKind
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}

/// <summary>One path a snapshot changed against its parents, absolute as the container sees it.</summary>
public readonly record struct FileChange(string Path, ChangeKind Kind);

/// <summary>
/// The list <c>docker diff</c> shows, computed as moby's overlay driver does: the walk of what the snapshot itself
/// holds (parents before children), each name added when no parent has it and modified when one does, deletions for
/// whiteouts. The parent of an added or deleted name is reported modified (once, before the name); a directory is a
/// change of its own only when its type, mode or owner differ below (its mtime moves with every name added in it, which
/// the rule before already tells). <c>hidden</c> paths (the mount points a runtime makes, which moby keeps in a layer
/// of their own) are neither reported nor a reason to report their parent.
/// </summary>
public static class LayerChanges
{
    /// <summary>The changes of an overlay upper dir over <paramref name="lowers"/> (nearest first).</summary>
    public static IReadOnlyList<FileChange> OfOverlayUpper(string upper, IReadOnlyList<string> lowers, IReadOnlySet<string>? hidden = null)
    {
        var changes = new ChangeList(hidden);
        foreach (var entry in LayerDiff.OverlayUpperEntries(upper))
        {
            if (entry.IsWhiteout)
            {
                changes.Add(entry.Path, ChangeKind.Deleted, isDirectory: false);
                continue;
            }
            changes.AddPresent(entry.Path, entry.Status, Below(lowers, entry.Path));
            if (!entry.IsOpaque) continue;
            // An opaque dir hides everything below it: what the lower layers hold there and the upper does not is gone.
            foreach (var covered in lowers.SelectMany(l => Children(l, entry.Path)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                if (FileStatus.TryGet(Path.Combine(upper, entry.Path, covered)) is null)
                    changes.Add(entry.Path + "/" + covered, ChangeKind.Deleted, isDirectory: false);
        }
        return changes.Items;
    }

    /// <summary>The changes of a full tree <paramref name="upper"/> against its parent's full tree (null: none).</summary>
    public static IReadOnlyList<FileChange> OfTree(string? lower, string upper, IReadOnlySet<string>? hidden = null)
    {
        var changes = new ChangeList(hidden);
        foreach (var (path, status) in LayerDiff.TreeChanges(lower, upper))
        {
            if (status is { } present) changes.AddPresent(path, present, lower is null ? null : FileStatus.TryGet(Path.Combine(lower, path)));
            else changes.Add(path, ChangeKind.Deleted, isDirectory: false);
        }
        return changes.Items;
    }

    /// <summary>The nearest lower layer's entry for <paramref name="path"/>; a whiteout there means there is none.</summary>
    private static FileStatus? Below(IReadOnlyList<string> lowers, string path)
    {
        foreach (var lower in lowers)
        {
            if (FileStatus.TryGet(Path.Combine(lower, path)) is not { } status) continue;
            return status is { Kind: FileKind.CharDevice, RdevMajor: 0, RdevMinor: 0 } ? null : status;
        }
        return null;
    }

    private static IEnumerable<string> Children(string lower, string path) =>
        FileStatus.TryGet(Path.Combine(lower, path)) is { Kind: FileKind.Directory } ? FileTree.Children(Path.Combine(lower, path)) : [];

    private sealed class ChangeList(IReadOnlySet<string>? hidden)
    {
        private readonly HashSet<string> _changedDirs = new(StringComparer.Ordinal);

        public List<FileChange> Items { get; } = [];

        public void AddPresent(string path, FileStatus status, FileStatus? below)
        {
            var isDirectory = status.Kind == FileKind.Directory;
            if (below is not { } old)
            {
                Add(path, ChangeKind.Added, isDirectory);
                return;
            }
            if (isDirectory && old.Kind == FileKind.Directory && old.Mode == status.Mode && old.Uid == status.Uid && old.Gid == status.Gid)
                return;
            Add(path, ChangeKind.Modified, isDirectory);
        }

        public void Add(string relative, ChangeKind kind, bool isDirectory)
        {
            var path = "/" + relative;
            if (hidden?.Contains(path) == true) return;
            if (isDirectory) _changedDirs.Add(path);
            if (kind != ChangeKind.Modified)
            {
                var parent = path[..path.LastIndexOf('/')];
                if (parent.Length > 0 && _changedDirs.Add(parent)) Items.Add(new FileChange(parent, ChangeKind.Modified));
            }
            Items.Add(new FileChange(path, kind));
        }
    }
}
