namespace Berth.Snapshots.Layers;

/// <summary>What a layer's <c>.wh.</c> entries become on disk.</summary>
public enum WhiteoutMode
{
    /// <summary>overlayfs whiteouts: a 0/0 character device per deleted name, <c>trusted.overlay.opaque=y</c> on opaque dirs (root only).</summary>
    Overlay,
    /// <summary>Plain deletions in a full copy of the parent's tree.</summary>
    Delete,
    /// <summary>None: a plain tar (as <c>docker cp</c> sends one), whose <c>.wh.</c> names are ordinary files.</summary>
    Keep,
}
