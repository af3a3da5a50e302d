namespace Berth.Snapshots.Layers;

/// <summary>What a layer's <c>.wh.</c> entries become on disk.</summary>
public enum WhiteoutMode
{
    /// <summary>overlayfs whiteouts: a 0/0 character device per deleted name, <c>trusted.overlay.opaque=y</c> on opaque dirs (root only).</summary>
    Overlay,
    /// <summary>Plain deletions in a full copy of the parent's tree.</summary>
    Delete,
}
