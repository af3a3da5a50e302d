using Berth.Snapshots.Layers;
using Berth.Snapshots.Metadata;

namespace Berth.Snapshots;

/// <summary>
/// Snapshots as full copies: a new snapshot starts as a copy of its parent's tree and is mounted by a bind mount.
/// Slow and large, but needs neither overlayfs nor root.
/// </summary>
public sealed class NativeSnapshotter(string root, ISnapshotMetadataStore? store = null) : Snapshotter(root, store)
{
    protected override Task CreateFilesAsync(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents, CancellationToken cancellationToken)
    {
        if (parents.Count == 0) Directory.CreateDirectory(FsDir(snapshot.Id));
        else TreeCopy.Copy(FsDir(parents[0].Id), FsDir(snapshot.Id));
        return Task.CompletedTask;
    }

    protected override IReadOnlyList<SnapshotMount> MountsOf(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents) =>
        [new SnapshotMount("bind", FsDir(snapshot.Id), ["rbind", snapshot.Kind == SnapshotKind.View ? "ro" : "rw"])];

    protected override Task ApplyAsync(SnapshotRecord snapshot, Stream layer, CancellationToken cancellationToken) =>
        LayerApplier.ApplyAsync(layer, FsDir(snapshot.Id), WhiteoutMode.Delete, cancellationToken);

    protected override Task DiffAsync(SnapshotRecord snapshot, SnapshotRecord? parent, Stream output, CancellationToken cancellationToken) =>
        LayerDiff.WriteTreeDiffAsync(parent is null ? null : FsDir(parent.Id), FsDir(snapshot.Id), output, cancellationToken);

    protected override IReadOnlyList<FileChange> ChangesOf(SnapshotRecord snapshot, IReadOnlyList<SnapshotRecord> parents, IReadOnlySet<string>? hidden) =>
        LayerChanges.OfTree(parents.Count == 0 ? null : FsDir(parents[0].Id), FsDir(snapshot.Id), hidden);
}
