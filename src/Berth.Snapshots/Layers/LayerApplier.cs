using Berth.Linux;

namespace Berth.Snapshots.Layers;

/// <summary>
/// Unpacks a layer (tar, gzip or zstd) into a snapshot's directory, as containerd's archive.Apply does:
/// owners, modes, mtimes, PAX xattrs (binary values as they are), hard links, symlinks (targets kept verbatim: they
/// resolve inside the container's root), device nodes and fifos (devices as root only), sparse files (their holes
/// left holes), and whiteouts in the form <see cref="WhiteoutMode"/> asks for.
/// Nothing is ever written outside <c>target</c>: names are cleaned (<c>..</c> is refused, absolute names are relative),
/// every parent directory is resolved with openat2(RESOLVE_IN_ROOT) so symlinks resolve inside the target, and the final
/// component is never followed.
/// </summary>
public static class LayerApplier
{
    /// <summary>Applies <paramref name="layer"/> into <paramref name="target"/> and returns the bytes of file data written. The stream is left open.</summary>
    public static async Task<long> ApplyAsync(Stream layer, string target, WhiteoutMode mode, CancellationToken cancellationToken = default)
    {
        await using var tar = await LayerCompression.OpenDecompressedAsync(layer, cancellationToken);
        using var root = FileDescriptors.Open(target, OpenFlags.Path | OpenFlags.Directory);
        var session = new LayerApplySession(root, mode);
        var reader = new LayerTarReader(tar);
        try
        {
            while (await reader.GetNextEntryAsync(cancellationToken) is { } entry)
                await session.ApplyAsync(entry, cancellationToken);
        }
        catch (Exception e) when (LayerFormatException.IsFormatError(e))
        {
            throw SnapshotException.InvalidArgument($"layer is not a valid tar: {LayerFormatException.Describe(e)}");
        }
        session.Finish();
        return session.BytesWritten;
    }
}
