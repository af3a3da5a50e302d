namespace Berth.Content.Memory;

/// <summary>The open writer of one in-memory ingest; it holds the ref's lock until committed, failed or disposed.</summary>
internal sealed class MemoryContentWriter(
    MemoryContentStore store, MemoryIngest ingest, DigestVerifier verifier, IngestLocks.Lease lease) : IContentWriter
{
    private bool _closed;

    public string Reference => ingest.Reference;

    public IngestStatus Status => ingest.Status();

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        cancellationToken.ThrowIfCancellationRequested();
        verifier.CheckRoomFor(data.Length);
        ingest.Data.Write(data.Span);
        verifier.Append(data.Span);
        ingest.UpdatedAt = store.Clock.GetUtcNow();
        return ValueTask.CompletedTask;
    }

    public Task<ContentInfo> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        try
        {
            return Task.FromResult(store.Commit(ingest, verifier.Verify()));
        }
        catch (ContentException)
        {
            store.RemoveIngest(ingest);
            throw;
        }
        finally
        {
            Close();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        if (_closed) return;
        _closed = true;
        verifier.Dispose();
        lease.Dispose();
    }
}
