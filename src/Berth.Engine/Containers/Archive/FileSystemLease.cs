namespace Berth.Engine.Containers.Archive;

/// <summary>
/// A container's filesystem opened for one copy, stat, extract or export. For a container that does not run, its
/// rootfs was mounted for this lease and its start waits: disposing closes the descriptors, unmounts and lets it start.
/// </summary>
internal sealed class FileSystemLease(ContainerFileSystem fileSystem, string rootfs, Func<Task>? release) : IAsyncDisposable
{
    private Func<Task>? _release = release;

    public ContainerFileSystem FileSystem => fileSystem;

    /// <summary>Where the rootfs is mounted in the daemon's view (for the reads that go through the rootfs only).</summary>
    public string Rootfs => rootfs;

    public async ValueTask DisposeAsync()
    {
        fileSystem.Dispose();
        var release = Interlocked.Exchange(ref _release, null);
        if (release is not null) await release();
    }
}
