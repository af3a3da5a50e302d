using Berth.Linux;
using Microsoft.Win32.SafeHandles;

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
        using var root = FileDescriptors.Open(target, OpenFlags.Path | OpenFlags.Directory);
        return await UnpackAsync(layer, new LayerApplySession(root, mode, new ExtractOptions()), cancellationToken);
    }

    /// <summary>
    /// Extracts a plain tar (tar, gzip or zstd) into the directory <paramref name="target"/> (an open descriptor, so the
    /// caller decides how it was reached), under the same rules as a layer but with <c>.wh.</c> names kept as files.
    /// </summary>
    public static Task<long> ExtractAsync(Stream tar, SafeFileHandle target, ExtractOptions options, CancellationToken cancellationToken = default) =>
        UnpackAsync(tar, new LayerApplySession(target, WhiteoutMode.Keep, options), cancellationToken);

    private static async Task<long> UnpackAsync(Stream layer, LayerApplySession session, CancellationToken cancellationToken)
    {
        await using var tar = await LayerCompression.OpenDecompressedAsync(layer, cancellationToken);
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

/// <summary>
/// How <see cref="LayerApplier.ExtractAsync"/> treats a plain tar: <paramref name="NoOverwriteDirNonDir"/> refuses to
/// replace a directory by a non-directory or the reverse (docker cp's default); <paramref name="Owner"/>, when set,
/// owns every extracted name instead of the ids the tar holds.
/// </summary>
public sealed record ExtractOptions(bool NoOverwriteDirNonDir = false, (uint Uid, uint Gid)? Owner = null);
