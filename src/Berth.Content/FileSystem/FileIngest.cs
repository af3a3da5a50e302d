using System.Globalization;
using Berth.Oci.Image;

namespace Berth.Content.FileSystem;

/// <summary>An ingest's metadata files (layout in <see cref="FileContentLayout"/>).</summary>
internal sealed record FileIngest(string Reference, DateTimeOffset StartedAt, Digest? Expected, long? ExpectedSize)
{
    public bool Matches(string reference, Digest? expected, long? expectedSize) =>
        Reference == reference && Expected == expected && ExpectedSize == expectedSize;

    /// <summary>Writes the metadata of a new ingest into an empty directory, the ref file first.</summary>
    public async Task WriteAsync(string dir, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(FileContentLayout.RefFile(dir), Reference, cancellationToken);
        await File.WriteAllTextAsync(
            FileContentLayout.StartedAtFile(dir), StartedAt.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        if (Expected is { } expected)
            await File.WriteAllTextAsync(FileContentLayout.ExpectedFile(dir), expected.ToString(), cancellationToken);
        if (ExpectedSize is { } size)
            await File.WriteAllTextAsync(FileContentLayout.TotalFile(dir), size.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>The ingest in <paramref name="dir"/>, or null when it is missing or torn (a crash while it was being created).</summary>
    public static async Task<FileIngest?> TryReadAsync(string dir, CancellationToken cancellationToken)
    {
        var reference = await TryReadTextAsync(FileContentLayout.RefFile(dir), cancellationToken);
        var startedAt = await TryReadTextAsync(FileContentLayout.StartedAtFile(dir), cancellationToken);
        if (string.IsNullOrEmpty(reference) || startedAt is null) return null;
        if (!DateTimeOffset.TryParseExact(startedAt, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var started)) return null;

        Digest? expected = null;
        if (await TryReadTextAsync(FileContentLayout.ExpectedFile(dir), cancellationToken) is { } text)
        {
            if (!Digest.TryParse(text, out var digest)) return null;
            expected = digest;
        }
        long? size = null;
        if (await TryReadTextAsync(FileContentLayout.TotalFile(dir), cancellationToken) is { } total)
        {
            if (!long.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return null;
            size = parsed;
        }
        return new FileIngest(reference, started, expected, size);
    }

    private static async Task<string?> TryReadTextAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
