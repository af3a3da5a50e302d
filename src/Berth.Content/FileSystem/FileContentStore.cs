using System.Runtime.CompilerServices;
using Berth.Oci.Image;

namespace Berth.Content.FileSystem;

/// <summary>
/// The content store on a local filesystem (layout in <see cref="FileContentLayout"/>): bytes go to an ingest's data
/// file, are hashed as they arrive, fsynced, and renamed into <c>blobs/</c> only when size and digest verify.
/// </summary>
/// <remarks>
/// The containing directory is not fsynced after the rename: that needs a P/Invoke, which only Berth.Linux may hold.
/// A power loss right after a commit can therefore lose the rename (never expose a partial blob).
/// </remarks>
public sealed partial class FileContentStore(string root, TimeProvider? clock = null) : IContentStore
{
    private readonly FileContentLayout _layout = new(root);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Root => _layout.Root;

    public Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        var file = new FileInfo(_layout.BlobPath(digest));
        if (!file.Exists) throw new ContentNotFoundException(digest);
        return Task.FromResult(ToInfo(digest, file));
    }

    public Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        return Task.FromResult(File.Exists(_layout.BlobPath(digest)));
    }

    private const int ReadBufferSize = 128 * 1024;

    public Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        try
        {
            // buffered: decompressors read a few KiB at a time, and a read syscall each would dominate
            Stream stream = new FileStream(
                _layout.BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, ReadBufferSize, FileOptions.Asynchronous);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContentNotFoundException(digest);
        }
    }

    public Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        var path = _layout.BlobPath(digest);
        if (!File.Exists(path)) throw new ContentNotFoundException(digest);
        File.Delete(path);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ContentInfo> WalkAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_layout.BlobsDir)) yield break;
        foreach (var algorithmDir in new DirectoryInfo(_layout.BlobsDir).EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            foreach (var file in algorithmDir.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Anything that is not a well-formed digest of a verifiable algorithm was not put there by us: skip it.
                if (!Digest.TryParse($"{algorithmDir.Name}:{file.Name}", out var digest) || digest.Algorithm is not ("sha256" or "sha512"))
                    continue;
                yield return ToInfo(digest, file);
            }
        }
        await Task.CompletedTask;
    }

    private static ContentInfo ToInfo(Digest digest, FileInfo file) =>
        new(digest, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
}
