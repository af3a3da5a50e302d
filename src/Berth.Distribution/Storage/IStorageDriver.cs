namespace Berth.Distribution.Storage;

/// <summary>
/// The registry's view of a storage backend: a tree of byte files addressed by slash paths
/// (<c>/a/b/c</c>, components <c>[A-Za-z0-9._-]</c>, never <c>.</c> or <c>..</c>; see <see cref="StoragePath"/>).
/// Directories exist only while they hold a file; there is no empty directory.
/// </summary>
/// <remarks>
/// Guarantees every implementation gives (checked by the conformance suite):
/// <list type="bullet">
/// <item><see cref="PutContentAsync"/> is atomic: a reader sees the old content or the new, never a mix.</item>
/// <item><see cref="MoveAsync"/> is atomic and replaces the destination; this is how a verified blob becomes visible.</item>
/// <item>A writer's appended bytes are durable only after <see cref="IStorageWriter.CommitAsync"/>;
///   <see cref="IStorageWriter.CancelAsync"/> (or disposing without commit) removes them again.</item>
/// <item>A missing path raises <see cref="PathNotFoundException"/>; a malformed one <see cref="InvalidPathException"/>.</item>
/// </list>
/// </remarks>
public interface IStorageDriver
{
    /// <summary>A short name for logs: <c>filesystem</c>, <c>inmemory</c>.</summary>
    string Name { get; }

    /// <summary>Reads a whole small file (links, manifests); not for layers.</summary>
    Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Replaces a file atomically (write a temporary, flush to disk, rename).</summary>
    Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Opens a file for streaming from <paramref name="offset"/> (0 ≤ offset ≤ size, else <see cref="InvalidOffsetException"/>).</summary>
    Task<Stream> OpenReadAsync(string path, long offset = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a writer that appends to the file at <paramref name="path"/> (created if missing);
    /// with <paramref name="append"/> false an existing file is truncated first.
    /// </summary>
    Task<IStorageWriter> CreateWriterAsync(string path, bool append, CancellationToken cancellationToken = default);

    /// <summary>Describes a file or directory, or returns null when nothing is there.</summary>
    Task<StorageInfo?> StatAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The direct children of a directory, as full paths, sorted ordinally.</summary>
    Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Renames a file atomically, replacing the destination and creating its parents.</summary>
    Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file, or a directory and everything below it.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);
}

/// <summary>
/// An open append to one file. Lifecycle: <c>WriteAsync*</c> → <c>CommitAsync</c> (durable) or
/// <c>CancelAsync</c>/dispose (the bytes this writer appended are removed). One writer per file at a time.
/// </summary>
public interface IStorageWriter : IAsyncDisposable
{
    /// <summary>The file's size including what this writer has appended so far.</summary>
    long Size { get; }

    Task WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Flushes to durable storage; afterwards dispose keeps the content.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes what this writer appended (and the file, if this writer created it).</summary>
    Task CancelAsync(CancellationToken cancellationToken = default);
}

public sealed record StorageInfo(string Path, long Size, DateTimeOffset ModifiedAt, bool IsDirectory);
