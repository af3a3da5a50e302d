using Berth.Oci.Image;

namespace Berth.Content;

/// <summary>
/// Reads committed blobs by digest. Only committed content is ever visible here: an ingest in progress,
/// abandoned or aborted never is, so a reader never sees half a blob.
/// </summary>
public interface IContentProvider
{
    /// <exception cref="ContentNotFoundException">no committed blob has this digest.</exception>
    Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>A read-only, seekable stream over the blob (seek for Range reads); the caller disposes it.</summary>
    /// <exception cref="ContentNotFoundException">no committed blob has this digest.</exception>
    Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default);
}

/// <summary>
/// Writes blobs through named ingests. An ingest's lifecycle, keyed by its ref (a caller-chosen name such as
/// <c>layer-sha256:…</c>, no path separators):
/// <code>
///   OpenWriterAsync(ref) ──► writing ──CommitAsync──► committed (visible by digest; ingest gone)
///          ▲                    │  └──mismatch────────► discarded (ingest gone; typed error)
///          └──OpenWriterAsync───┤ writer disposed / process died: ingest kept at its offset (resumable)
///                               └──AbortAsync(ref)──► discarded
/// </code>
/// One writer per ref at a time: a second <see cref="OpenWriterAsync"/> on a ref whose writer is still open throws
/// <see cref="IngestLockedException"/>. Reopening a kept ingest resumes at <see cref="IngestStatus.Offset"/>;
/// reopening with a different expected digest or size restarts it from zero.
/// </summary>
public interface IContentIngester
{
    /// <exception cref="ContentAlreadyExistsException"><paramref name="expected"/> is already committed: nothing to write.</exception>
    /// <exception cref="IngestLockedException">another writer holds <paramref name="reference"/>.</exception>
    /// <exception cref="ArgumentException">the ref or the digest is malformed, or the size is negative.</exception>
    Task<IContentWriter> OpenWriterAsync(
        string reference, Digest? expected = null, long? expectedSize = null, CancellationToken cancellationToken = default);

    /// <exception cref="IngestNotFoundException">no ingest has this ref.</exception>
    Task<IngestStatus> StatusAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Every ingest kept on the store, open or abandoned (for resuming, and for cleaning old ones).</summary>
    Task<IReadOnlyList<IngestStatus>> ListIngestsAsync(CancellationToken cancellationToken = default);

    /// <summary>Discards the ingest and its bytes.</summary>
    /// <exception cref="IngestNotFoundException">no ingest has this ref.</exception>
    /// <exception cref="IngestLockedException">a writer still holds the ref.</exception>
    Task AbortAsync(string reference, CancellationToken cancellationToken = default);
}

/// <summary>Enumerates and removes committed blobs (garbage collection decides which).</summary>
public interface IContentManager
{
    IAsyncEnumerable<ContentInfo> WalkAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the blob; readers that already opened it keep reading it.</summary>
    /// <exception cref="ContentNotFoundException">no committed blob has this digest.</exception>
    Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default);
}

/// <summary>The content-addressable store that the image store, pulls, pushes, save and load stand on.</summary>
public interface IContentStore : IContentProvider, IContentIngester, IContentManager;
