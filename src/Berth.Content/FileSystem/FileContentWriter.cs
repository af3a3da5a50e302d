namespace Berth.Content.FileSystem;

/// <summary>The open writer of one ingest directory; it holds the ref's lock until committed, failed or disposed.</summary>
internal sealed class FileContentWriter(
    FileContentStore store, string dir, FileIngest ingest, FileStream data, DigestVerifier verifier,
    IngestLocks.Lease lease, DateTimeOffset updatedAt) : IContentWriter
{
    private bool _closed;
    private DateTimeOffset _updatedAt = updatedAt;

    public string Reference => ingest.Reference;

    public IngestStatus Status =>
        new(ingest.Reference, verifier.Offset, ingest.ExpectedSize, ingest.Expected, ingest.StartedAt, _updatedAt);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        verifier.CheckRoomFor(bytes.Length);
        try
        {
            await data.WriteAsync(bytes, cancellationToken);
        }
        catch
        {
            // Part of the bytes may be on disk but not in the hash: only a fresh writer (which rehashes) can go on.
            await CloseAsync();
            throw;
        }
        verifier.Append(bytes.Span);
        _updatedAt = store.Clock.GetUtcNow();
    }

    public async Task<ContentInfo> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        try
        {
            var digest = verifier.Verify();
            await data.FlushAsync(cancellationToken);
            data.Flush(flushToDisk: true);
            await data.DisposeAsync();

            var blob = store.Layout.BlobPath(digest);
            if (!File.Exists(blob))
            {
                File.SetUnixFileMode(FileContentLayout.DataFile(dir), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
                // rename(2): the blob appears whole or not at all; a racing commit of the same digest wrote the same bytes.
                File.Move(FileContentLayout.DataFile(dir), blob, overwrite: true);
            }
            store.RemoveIngest(dir);
            return await store.InfoAsync(digest, cancellationToken);
        }
        catch (ContentException)
        {
            store.RemoveIngest(dir);
            throw;
        }
        finally
        {
            await CloseAsync();
        }
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private async ValueTask CloseAsync()
    {
        if (_closed) return;
        _closed = true;
        await data.DisposeAsync();
        verifier.Dispose();
        lease.Dispose();
    }
}
