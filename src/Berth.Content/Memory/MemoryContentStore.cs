using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Berth.Oci.Image;

namespace Berth.Content.Memory;

/// <summary>
/// The content store in memory, for tests and for consumers' fakes. It behaves as <see cref="FileSystem.FileContentStore"/>
/// does (same conformance suite); its ingests outlive a disposed writer but not the instance.
/// </summary>
public sealed class MemoryContentStore(TimeProvider? clock = null) : IContentStore
{
    private readonly ConcurrentDictionary<Digest, ContentInfo> _infos = new();
    private readonly ConcurrentDictionary<Digest, byte[]> _blobs = new();
    private readonly ConcurrentDictionary<string, MemoryIngest> _ingests = new(StringComparer.Ordinal);
    private readonly string _lockPrefix = "memory:" + Guid.NewGuid().ToString("N") + ":";

    internal TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    public Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        return _infos.TryGetValue(digest, out var info) ? Task.FromResult(info) : throw new ContentNotFoundException(digest);
    }

    public Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        return Task.FromResult(_infos.ContainsKey(digest));
    }

    public Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        if (!_blobs.TryGetValue(digest, out var bytes)) throw new ContentNotFoundException(digest);
        return Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }

    public Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckDigest(digest);
        if (!_infos.TryRemove(digest, out _)) throw new ContentNotFoundException(digest);
        _blobs.TryRemove(digest, out _);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ContentInfo> WalkAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var info in _infos.Values.OrderBy(i => i.Digest.ToString(), StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }
        await Task.CompletedTask;
    }

    public Task<IContentWriter> OpenWriterAsync(
        string reference, Digest? expected = null, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckWriter(reference, expected, expectedSize);
        if (expected is { } digest && _infos.ContainsKey(digest)) throw new ContentAlreadyExistsException(digest);

        var lease = IngestLocks.Acquire(_lockPrefix + reference, reference);
        try
        {
            if (!_ingests.TryGetValue(reference, out var ingest) || !ingest.Matches(expected, expectedSize))
            {
                ingest = new MemoryIngest(reference, Clock.GetUtcNow(), expected, expectedSize);
                _ingests[reference] = ingest;
            }
            var verifier = new DigestVerifier(reference, expected, expectedSize);
            verifier.Append(ingest.Data.GetBuffer().AsSpan(0, (int)ingest.Data.Length));
            return Task.FromResult<IContentWriter>(new MemoryContentWriter(this, ingest, verifier, lease));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public Task<IngestStatus> StatusAsync(string reference, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckReference(reference);
        return _ingests.TryGetValue(reference, out var ingest)
            ? Task.FromResult(ingest.Status())
            : throw new IngestNotFoundException(reference);
    }

    public Task<IReadOnlyList<IngestStatus>> ListIngestsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IngestStatus>>(
            _ingests.Values.Select(i => i.Status()).OrderBy(s => s.Reference, StringComparer.Ordinal).ToList());

    public Task AbortAsync(string reference, CancellationToken cancellationToken = default)
    {
        ContentArguments.CheckReference(reference);
        using var lease = IngestLocks.Acquire(_lockPrefix + reference, reference);
        if (!_ingests.TryRemove(reference, out _)) throw new IngestNotFoundException(reference);
        return Task.CompletedTask;
    }

    /// <summary>Makes the bytes visible by digest (unless they already are) and drops the ingest.</summary>
    internal ContentInfo Commit(MemoryIngest ingest, Digest digest)
    {
        var info = _infos.GetOrAdd(digest, d =>
        {
            _blobs[d] = ingest.Data.ToArray();
            return new ContentInfo(d, ingest.Data.Length, Clock.GetUtcNow());
        });
        RemoveIngest(ingest);
        return info;
    }

    internal void RemoveIngest(MemoryIngest ingest) => _ingests.TryRemove(new(ingest.Reference, ingest));
}
