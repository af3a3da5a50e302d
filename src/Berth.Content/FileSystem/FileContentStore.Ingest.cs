using System.Buffers;
using Berth.Oci.Image;

namespace Berth.Content.FileSystem;

public sealed partial class FileContentStore
{
    public async Task<IContentWriter> OpenWriterAsync(
        string reference, Digest? expected = null, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckWriter(reference, expected, expectedSize);
        if (expected is { } digest && await ExistsAsync(digest, cancellationToken)) throw new ContentAlreadyExistsException(digest);

        var dir = _layout.IngestDir(reference);
        var lease = IngestLocks.Acquire(dir, reference);
        FileStream? data = null;
        DigestVerifier? verifier = null;
        try
        {
            var ingest = await FileIngest.TryReadAsync(dir, cancellationToken);
            if (ingest is null || !ingest.Matches(reference, expected, expectedSize) || !File.Exists(FileContentLayout.DataFile(dir)))
            {
                // Nothing resumable here (new, torn by a crash, or opened for other content): start from zero.
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                Directory.CreateDirectory(dir);
                ingest = new FileIngest(reference, _clock.GetUtcNow(), expected, expectedSize);
                await ingest.WriteAsync(dir, cancellationToken);
            }
            data = new FileStream(
                FileContentLayout.DataFile(dir), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 0, FileOptions.Asynchronous);
            verifier = new DigestVerifier(reference, expected, expectedSize);
            if (!await RehashAsync(data, verifier, cancellationToken))
            {
                data.SetLength(0);
                verifier.Dispose();
                verifier = new DigestVerifier(reference, expected, expectedSize);
            }
            var updatedAt = UpdatedAt(ingest, File.GetLastWriteTimeUtc(FileContentLayout.DataFile(dir)));
            return new FileContentWriter(this, dir, ingest, data, verifier, lease, updatedAt);
        }
        catch
        {
            verifier?.Dispose();
            if (data is not null) await data.DisposeAsync();
            lease.Dispose();
            throw;
        }
    }

    public async Task<IngestStatus> StatusAsync(string reference, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckReference(reference);
        var dir = _layout.IngestDir(reference);
        var ingest = await FileIngest.TryReadAsync(dir, cancellationToken);
        if (ingest is null || ingest.Reference != reference) throw new IngestNotFoundException(reference);
        return ToStatus(dir, ingest);
    }

    public async Task<IReadOnlyList<IngestStatus>> ListIngestsAsync(CancellationToken cancellationToken = default)
    {
        var statuses = new List<IngestStatus>();
        if (!Directory.Exists(_layout.IngestRoot)) return statuses;
        foreach (var dir in Directory.EnumerateDirectories(_layout.IngestRoot).Order(StringComparer.Ordinal))
        {
            if (await FileIngest.TryReadAsync(dir, cancellationToken) is { } ingest) statuses.Add(ToStatus(dir, ingest));
        }
        return statuses;
    }

    public Task AbortAsync(string reference, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckReference(reference);
        var dir = _layout.IngestDir(reference);
        using var lease = IngestLocks.Acquire(dir, reference);
        if (!Directory.Exists(dir)) throw new IngestNotFoundException(reference);
        Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deletes ingest directories whose metadata a crash tore (no ref file, or unreadable): no ref can reach them, so
    /// neither a resume nor <see cref="AbortAsync"/> ever would. Directories a live writer holds are left alone.
    /// </summary>
    /// <returns>How many were removed.</returns>
    public async Task<int> RemoveTornIngestsAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_layout.IngestRoot)) return 0;
        var removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(_layout.IngestRoot).ToList())
        {
            IngestLocks.Lease lease;
            try
            {
                lease = IngestLocks.Acquire(dir, Path.GetFileName(dir));
            }
            catch (IngestLockedException)
            {
                continue;
            }
            using (lease)
            {
                if (await FileIngest.TryReadAsync(dir, cancellationToken) is not null) continue;
                Directory.Delete(dir, recursive: true);
                removed++;
            }
        }
        return removed;
    }

    private static IngestStatus ToStatus(string dir, FileIngest ingest)
    {
        // No data file yet (a crash right after the metadata) or any more (one right after the commit's rename): offset 0.
        var data = new FileInfo(FileContentLayout.DataFile(dir));
        if (!data.Exists) return new IngestStatus(ingest.Reference, 0, ingest.ExpectedSize, ingest.Expected, ingest.StartedAt, ingest.StartedAt);
        return new IngestStatus(
            ingest.Reference, data.Length, ingest.ExpectedSize, ingest.Expected, ingest.StartedAt, UpdatedAt(ingest, data.LastWriteTimeUtc));
    }

    // The kernel stamps mtime from a coarse clock that can lag the one StartedAt came from by a tick.
    private static DateTimeOffset UpdatedAt(FileIngest ingest, DateTime dataMtimeUtc)
    {
        var mtime = new DateTimeOffset(dataMtimeUtc, TimeSpan.Zero);
        return mtime > ingest.StartedAt ? mtime : ingest.StartedAt;
    }

    /// <summary>
    /// Feeds the bytes a previous writer left into a fresh hash, since a hash's state cannot be saved; false when they
    /// already run past the expected size (then they cannot be the expected content).
    /// </summary>
    private static async Task<bool> RehashAsync(FileStream data, DigestVerifier verifier, CancellationToken cancellationToken)
    {
        if (verifier.ExpectedSize is { } size && data.Length > size) return false;
        var buffer = ArrayPool<byte>.Shared.Rent(ContentStoreExtensions.BufferSize);
        try
        {
            int read;
            while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0) verifier.Append(buffer.AsSpan(0, read));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal void RemoveIngest(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    internal FileContentLayout Layout => _layout;

    internal TimeProvider Clock => _clock;
}
