using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>
/// Protects blobs and snapshots that an operation in flight has written but not yet indexed (an import, a load, an
/// unpack), so that a concurrent delete's garbage collection does not take them. A lease lives until disposed.
/// </summary>
internal sealed class Leases
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Digest, int> _held = [];

    public Lease Open() => new(this);

    public bool IsHeld(Digest digest)
    {
        lock (_lock) return _held.ContainsKey(digest);
    }

    private void Add(Digest digest)
    {
        lock (_lock) _held[digest] = _held.GetValueOrDefault(digest) + 1;
    }

    private void Release(IEnumerable<Digest> digests)
    {
        lock (_lock)
        {
            foreach (var digest in digests)
            {
                if (--_held[digest] == 0) _held.Remove(digest);
            }
        }
    }

    /// <summary>The blobs (by digest) and snapshots (by chain id) one operation holds.</summary>
    public sealed class Lease(Leases owner) : IDisposable
    {
        private readonly List<Digest> _digests = [];
        private bool _disposed;

        /// <summary>Everything this lease holds: what to clean up if the operation fails.</summary>
        public IReadOnlyList<Digest> Digests => _digests;

        public void Hold(Digest digest)
        {
            owner.Add(digest);
            lock (_digests) _digests.Add(digest);
        }

        /// <summary>Releases everything held; a second call does nothing.</summary>
        public void Dispose()
        {
            lock (_digests)
            {
                if (_disposed) return;
                _disposed = true;
            }
            owner.Release(_digests);
        }
    }
}
