using System.Diagnostics;
using Berth.Build;

namespace Berth.Engine.Builds;

/// <summary>What a build context or an ADD source is, by its first bytes, as Docker recognises archives.</summary>
internal enum ArchiveKind { NotArchive, Tar, Gzip, Zstd, Bzip2, Xz }

/// <summary>
/// Archive sniffing and the decompressions the layer applier does not do itself: bzip2 and xz go through the host's
/// <c>bzip2</c> and <c>xz</c> (moby runs <c>xz</c> too); gzip and zstd the applier reads as they are.
/// </summary>
internal static class ArchiveFormat
{
    /// <summary>Enough of a file to tell its kind: a tar header is 512 bytes.</summary>
    public const int HeadLength = 512;

    public static ArchiveKind Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]) ? ArchiveKind.Gzip
        : head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]) ? ArchiveKind.Zstd
        : head.StartsWith("BZh"u8) ? ArchiveKind.Bzip2
        : head.StartsWith((ReadOnlySpan<byte>)[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) ? ArchiveKind.Xz
        : IsTar(head) ? ArchiveKind.Tar
        : ArchiveKind.NotArchive;

    public static ArchiveKind Sniff(string path)
    {
        var head = new byte[HeadLength];
        int count;
        using (var file = File.OpenRead(path)) count = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Sniff(head.AsSpan(0, count));
    }

    /// <summary>Whether the layer applier needs <see cref="DecompressAsync"/> first.</summary>
    public static bool NeedsTool(ArchiveKind kind) => kind is ArchiveKind.Bzip2 or ArchiveKind.Xz;

    /// <summary>Writes the decompressed <paramref name="source"/> (bzip2 or xz) to <paramref name="target"/> with the host's tool.</summary>
    /// <exception cref="BuildException">the tool is missing, or refuses the data.</exception>
    public static async Task DecompressAsync(ArchiveKind kind, string source, string target, CancellationToken cancellationToken)
    {
        var tool = kind == ArchiveKind.Xz ? "xz" : "bzip2";
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-dc");
        start.ArgumentList.Add(source);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (global::System.ComponentModel.Win32Exception e)
        {
            throw new BuildException($"{Path.GetFileName(source)} is {tool}-compressed and {tool} is not installed on the daemon's host", inner: e);
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await using (var output = File.Create(target)) await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0) throw new BuildException($"failed to decompress {Path.GetFileName(source)}: {(await errors).Trim()}");
        }
    }

    /// <summary>A POSIX or GNU tar header: <c>ustar</c> at offset 257 (an empty tar is all zeros).</summary>
    private static bool IsTar(ReadOnlySpan<byte> head) =>
        head.Length >= 262 && (head[257..262].SequenceEqual("ustar"u8) || !head.ContainsAnyExcept((byte)0));
}
