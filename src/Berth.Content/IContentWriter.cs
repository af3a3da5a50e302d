using Berth.Oci.Image;

namespace Berth.Content;

/// <summary>
/// The one open writer of an ingest (see <see cref="IContentIngester"/> for the lifecycle). Bytes are hashed as they
/// are written, so committing never re-reads the blob. Disposing without committing releases the ref and keeps the
/// bytes written so far for a later writer on the same ref.
/// </summary>
public interface IContentWriter : IAsyncDisposable
{
    string Reference { get; }

    /// <summary>The ingest's progress; <see cref="IngestStatus.Offset"/> is where the next byte goes.</summary>
    IngestStatus Status { get; }

    /// <exception cref="SizeMismatchException">the bytes would run past the expected size (nothing is written).</exception>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies the size and digest expected at open, flushes the bytes to disk and makes them visible under their
    /// digest. If that digest is already committed the ingest is dropped and the existing blob's info is returned.
    /// On a mismatch the ingest is discarded (its bytes are known bad) and the writer is closed.
    /// </summary>
    /// <exception cref="SizeMismatchException">fewer bytes were written than expected (a truncated download).</exception>
    /// <exception cref="DigestMismatchException">the bytes do not hash to the expected digest.</exception>
    Task<ContentInfo> CommitAsync(CancellationToken cancellationToken = default);
}
