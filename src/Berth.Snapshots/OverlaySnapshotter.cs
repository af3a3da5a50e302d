using Berth.Snapshots.Layers;
using Berth.Snapshots.Metadata;

namespace Berth.Snapshots;

/// <summary>
/// Snapshots as overlayfs layers: each snapshot's <c>fs</c> dir is an upper dir, its committed parents are the lower dirs.
/// Needs overlayfs (and root) only to mount; preparing, applying and diffing are plain file operations.
/// </summary>
public sealed class OverlaySnapshotter(string root, ISnapshotMetadataStore? store = null) : Snapshotter(root, store)
{
    protected override Task CreateFilesAsync(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(FsDir(snapshot.Id));
        if (snapshot.Kind == SnapshotKind.Active) Directory.CreateDirectory(WorkDir(snapshot.Id));
        return Task.CompletedTask;
    }

    protected override IReadOnlyList<SnapshotMount> MountsOf(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents)
    {
        var readOnly = snapshot.Kind == SnapshotKind.View;
        if (parents.Count == 0) return [Bind(FsDir(snapshot.Id), readOnly)];
        var lower = "lowerdir=" + string.Join(':', parents.Select(p => FsDir(p.Id)));
        if (!readOnly) return [new SnapshotMount("overlay", "overlay", [$"workdir={WorkDir(snapshot.Id)}", $"upperdir={FsDir(snapshot.Id)}", lower])];
        // overlayfs refuses a single lower dir without an upper one; a read-only bind of it is the same view.
        return parents.Count == 1 ? [Bind(FsDir(parents[0].Id), readOnly: true)] : [new SnapshotMount("overlay", "overlay", [lower])];
    }

    protected override Task ApplyAsync(SnapshotRecord snapshot, Stream layer, CancellationToken cancellationToken) =>
        LayerApplier.ApplyAsync(layer, FsDir(snapshot.Id), WhiteoutMode.Overlay, cancellationToken);

    protected override Task DiffAsync(SnapshotRecord snapshot, SnapshotRecord? parent, Stream output, CancellationToken cancellationToken) =>
        LayerDiff.WriteOverlayUpperAsync(FsDir(snapshot.Id), output, cancellationToken);

    protected override IReadOnlyList<FileChange> ChangesOf(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents, IReadOnlySet<string>? hidden) =>
        LayerChanges.OfOverlayUpper(FsDir(snapshot.Id), [.. parents.Select(p => FsDir(p.Id))], hidden);

    private static SnapshotMount Bind(string source, bool readOnly) => new("bind", source, ["rbind", readOnly ? "ro" : "rw"]);
}
