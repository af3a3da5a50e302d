using System.Collections.Concurrent;

namespace Berth.Content;

/// <summary>
/// The in-process "one writer per ref" table. Keys are global to the process, so two store instances over the same
/// root (a restarted component) still exclude each other.
/// </summary>
internal static class IngestLocks
{
    private static readonly ConcurrentDictionary<string, byte> Held = new(StringComparer.Ordinal);

    /// <exception cref="IngestLockedException">the key is held.</exception>
    public static Lease Acquire(string key, string reference) =>
        Held.TryAdd(key, 0) ? new Lease(key) : throw new IngestLockedException(reference);

    public sealed class Lease(string key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Held.TryRemove(key, out _);
        }
    }
}
