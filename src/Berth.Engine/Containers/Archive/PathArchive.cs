namespace Berth.Engine.Containers.Archive;

/// <summary>
/// A tar of a container's path (or its whole filesystem), ready to be written once: the stat is known before any byte
/// goes out, so the API can answer 404 or send its header first. Dispose after writing (or instead of it).
/// </summary>
public sealed class PathArchive : IAsyncDisposable
{
    private readonly Func<Stream, CancellationToken, Task> _write;
    private readonly IAsyncDisposable _lease;

    internal PathArchive(PathStat? stat, Func<Stream, CancellationToken, Task> write, IAsyncDisposable lease)
    {
        Stat = stat;
        _write = write;
        _lease = lease;
    }

    /// <summary>The archived path's stat; null for an export.</summary>
    public PathStat? Stat { get; }

    public Task WriteAsync(Stream output, CancellationToken cancellationToken = default) => _write(output, cancellationToken);

    public ValueTask DisposeAsync() => _lease.DisposeAsync();
}
