namespace Berth.Snapshots.Layers;

/// <summary>Names inside a layer tar, reduced to clean relative paths before anything touches the disk.</summary>
internal static class LayerPath
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>
    /// The components of <paramref name="name"/>: a leading <c>/</c> or <c>./</c> is dropped (absolute names are relative to the
    /// layer's root), <c>.</c> and empty components vanish, and <c>..</c> anywhere is refused rather than resolved.
    /// An empty result is the root itself.
    /// </summary>
    public static string[] Split(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
            throw SnapshotException.InvalidArgument($"layer entry {name}: '..' would leave the layer's root");
        if (parts.Any(p => p.Contains('\0')))
            throw SnapshotException.InvalidArgument($"layer entry {name}: NUL in a name");
        return parts;
    }
}
