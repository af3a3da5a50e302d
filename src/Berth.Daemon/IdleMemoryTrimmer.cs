using System.Diagnostics;

namespace Berth.Daemon;

/// <summary>
/// Gives memory back once the daemon is idle again. The GC sizes its youngest generation from the CPU's cache (a
/// 32 MB L3 makes a budget of about 25 MB) and frees large objects only in full collections, so after a burst of
/// requests the heap stays near its peak: while nothing allocates, nothing collects. As Go's runtime returns freed
/// memory to the system in the background, berthd runs one compacting full collection, which also decommits the
/// regions it freed, once requests came and then none for <see cref="Quiet"/>. A quiet daemon pays nothing.
/// </summary>
internal sealed class IdleMemoryTrimmer : IDisposable
{
    internal static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly Timer _timer;
    private long _lastActivity; // Stopwatch timestamp of the last request's start or end; 0 once trimmed

    public IdleMemoryTrimmer() => _timer = new Timer(_ => TrimIfQuiet(), null, Quiet, Quiet);

    /// <summary>A request started or ended.</summary>
    public void Touch() => Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());

    public void Dispose() => _timer.Dispose();

    private void TrimIfQuiet()
    {
        var last = Volatile.Read(ref _lastActivity);
        if (last == 0 || Stopwatch.GetElapsedTime(last) < Quiet) return;
        if (Interlocked.CompareExchange(ref _lastActivity, 0, last) != last) return; // a request came meanwhile
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
