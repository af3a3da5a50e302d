using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Berth.Distribution.Server;

/// <summary>
/// Per-upload state that lives only in this process: a lock (one request at a time per upload) and the running
/// hash of the bytes so far, so finishing a streamed upload needs no second read. After a restart, or when the
/// hash fell behind, the finisher re-reads the data instead.
/// </summary>
internal sealed class UploadSessions
{
    private const int SoftLimit = 1024;
    private static readonly TimeSpan IdleEviction = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public async Task<Session> AcquireAsync(string uuid, CancellationToken cancellationToken)
    {
        if (_sessions.Count > SoftLimit) EvictIdle();
        var session = _sessions.GetOrAdd(uuid, static _ => new Session());
        await session.Lock.WaitAsync(cancellationToken);
        session.LastUsed = DateTimeOffset.UtcNow;
        return session;
    }

    public void Release(Session session) => session.Lock.Release();

    /// <summary>Forgets a finished or cancelled upload (the caller holds its lock).</summary>
    public void Remove(string uuid, Session session)
    {
        _sessions.TryRemove(new KeyValuePair<string, Session>(uuid, session));
        session.ResetHash();
    }

    private void EvictIdle()
    {
        var cutoff = DateTimeOffset.UtcNow - IdleEviction;
        foreach (var (uuid, session) in _sessions)
        {
            if (session.LastUsed < cutoff && session.Lock.CurrentCount == 1) _sessions.TryRemove(uuid, out _);
        }
    }

    internal sealed class Session
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public DateTimeOffset LastUsed { get; set; }

        /// <summary>The sha256 of bytes [0, HashedSize) of the upload, when known.</summary>
        public IncrementalHash? Hash { get; private set; }

        public long HashedSize { get; private set; }

        /// <summary>Returns a hash positioned at <paramref name="size"/>, or null when the running hash cannot continue there.</summary>
        public IncrementalHash? HashAt(long size)
        {
            if (size == 0 && Hash is null) Hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            if (Hash is null || HashedSize != size) return null;
            return Hash;
        }

        public void Advance(long size) => HashedSize = size;

        public void ResetHash()
        {
            Hash?.Dispose();
            Hash = null;
            HashedSize = 0;
        }
    }
}
