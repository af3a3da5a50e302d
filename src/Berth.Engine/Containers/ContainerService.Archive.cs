using Berth.Engine.Containers.Archive;
using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Berth.Linux;
using Berth.Snapshots;
using Berth.Snapshots.Layers;

namespace Berth.Engine.Containers;

/// <summary>
/// A container's files from outside: <c>docker cp</c> (stat, archive, extract), <c>export</c> and <c>diff</c>, for
/// running and stopped containers alike. Paths resolve as the container would see them, never out of it
/// (<see cref="ContainerFileSystem"/>); a container that does not run has its rootfs mounted for the operation while
/// its gate keeps it from starting, and unmounted afterwards whatever happens.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>Docker's <c>HEAD /containers/{id}/archive</c>.</summary>
    public async Task<PathStat> StatPathAsync(string idOrName, string path, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var request = ArchivePath.Parse(path);
        await using var lease = await OpenFileSystemAsync(container, cancellationToken);
        return Stat(lease.FileSystem, request, idOrName);
    }

    /// <summary>Docker's <c>GET /containers/{id}/archive</c>: the stat now, the tar when written; 404 before any byte.</summary>
    public async Task<PathArchive> ArchivePathAsync(string idOrName, string path, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var request = ArchivePath.Parse(path);
        var lease = await OpenFileSystemAsync(container, cancellationToken);
        try
        {
            var stat = Stat(lease.FileSystem, request, idOrName);
            Publish(container, "archive-path");
            return new PathArchive(stat, async (output, token) =>
            {
                using var start = lease.FileSystem.TryResolve(request.Clean, request.FollowLast) ?? throw FileNotFound(request.Original, idOrName);
                await Host(() => TreeArchive.WriteAsync(output, start, request.TarName, lease.FileSystem, token));
            }, lease);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Docker's <c>PUT /containers/{id}/archive</c>: extracts <paramref name="tar"/> into the directory at
    /// <paramref name="path"/> (a link to a directory is followed). With <paramref name="copyUidGid"/> and a configured
    /// user, that user owns what is extracted; otherwise the tar's owners stay.
    /// </summary>
    public async Task ExtractToDirAsync(string idOrName, string path, Stream tar, bool copyUidGid, bool noOverwriteDirNonDir,
        CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var request = ArchivePath.Parse(path);
        await using var lease = await OpenFileSystemAsync(container, cancellationToken);
        using var target = lease.FileSystem.TryResolve(request.Clean, followLast: true);
        if (target?.Status() is not { } status) throw FileNotFound(request.Original, idOrName);
        if (status.Kind != FileKind.Directory) throw new EngineException(ErrorKind.InvalidArgument, "extraction point is not a directory");
        if (target.Mount is { RW: false }) throw new EngineException(ErrorKind.InvalidArgument, "mounted volume is marked read-only");
        if (target.Mount is null && container.HostConfig.ReadonlyRootfs)
            throw new EngineException(ErrorKind.InvalidArgument, "container rootfs is marked read-only");
        var owner = copyUidGid && !string.IsNullOrEmpty(container.Config.User)
            ? OwnerOf(UserResolver.Resolve(lease.Rootfs, container.Config.User, []))
            : ((uint, uint)?)null;
        using var directory = FileDescriptors.OpenAt2(target.Directory, target.Name.Length == 0 ? "." : target.Name,
            OpenFlags.Path | OpenFlags.Directory, ResolveFlags.Beneath | ResolveFlags.NoSymlinks);
        await Host(() => LayerApplier.ExtractAsync(tar, directory, new ExtractOptions(noOverwriteDirNonDir, owner), cancellationToken));
        Publish(container, "extract-to-dir");
    }

    /// <summary>Docker's <c>GET /containers/{id}/export</c>: the root filesystem without its mounts, as a tar.</summary>
    public async Task<PathArchive> ExportAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var lease = await OpenFileSystemAsync(container, cancellationToken, withMounts: false);
        Publish(container, "export");
        return new PathArchive(null, async (output, token) =>
        {
            using var root = lease.FileSystem.TryResolve("/", followLast: false)!;
            await Host(() => TreeArchive.WriteAsync(output, root, "", mounts: null, token));
        }, lease);
    }

    /// <summary>
    /// What a start creates in the rootfs to mount over (moby's init layer holds the same), so no diff reports them.
    /// </summary>
    private static readonly IReadOnlySet<string> RuntimeMountPoints = new HashSet<string>(StringComparer.Ordinal)
    {
        "/.dockerenv", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/mtab",
        "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/console", "/proc", "/sys",
    };

    /// <summary>Docker's <c>GET /containers/{id}/changes</c>: empty for a container that never started.</summary>
    public async Task<IReadOnlyList<FileChange>> ChangesAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        try
        {
            return await _images.ChangesAsync(ContainerLayout.SnapshotKey(container.Id), RuntimeMountPoints, cancellationToken);
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.NotFound)
        {
            return [];
        }
    }

    /// <summary>
    /// Opens the container's filesystem. The gate is held only while it is opened when the container runs (its mounted
    /// rootfs, once opened, stays reachable through the descriptor even if it exits), and for the whole lease when not.
    /// </summary>
    private async Task<FileSystemLease> OpenFileSystemAsync(Container container, CancellationToken cancellationToken, bool withMounts = true)
    {
        var rootfs = Layout.Rootfs(container.Id);
        var key = ContainerLayout.SnapshotKey(container.Id);
        IReadOnlyList<MountPoint> mounts = withMounts ? [.. container.Mounts, .. NetworkFileMounts(container)] : [];
        await container.Gate.WaitAsync(cancellationToken);
        var keepGate = false;
        try
        {
            if (container.State.IsRunning) return new FileSystemLease(new ContainerFileSystem(rootfs, mounts), rootfs, null);
            FileSystemLease lease;
            try
            {
                Directory.CreateDirectory(rootfs);
                await _images.MountRootAsync(container.ImageId, key, rootfs, cancellationToken);
                lease = new FileSystemLease(new ContainerFileSystem(rootfs, mounts), rootfs, async () =>
                {
                    try
                    {
                        await _images.UnmountRootAsync(key, rootfs, removeLayer: false);
                    }
                    finally
                    {
                        container.Gate.Release();
                    }
                });
            }
            catch
            {
                await _images.UnmountRootAsync(key, rootfs, removeLayer: false);
                throw;
            }
            keepGate = true;
            return lease;
        }
        finally
        {
            if (!keepGate) container.Gate.Release();
        }
    }

    /// <summary>
    /// The files a start binds over /etc/hostname, /etc/hosts and /etc/resolv.conf (the rootfs holds only their empty
    /// mount points), unless the container mounts something of its own there.
    /// </summary>
    private IEnumerable<MountPoint> NetworkFileMounts(Container container) =>
        new[] { (Layout.Hostname(container.Id), "/etc/hostname"), (Layout.Hosts(container.Id), "/etc/hosts"), (Layout.ResolvConf(container.Id), "/etc/resolv.conf") }
            .Where(f => File.Exists(f.Item1) && container.Mounts.All(m => m.Destination != f.Item2))
            .Select(f => new MountPoint { Type = "bind", Source = f.Item1, Destination = f.Item2, RW = !container.HostConfig.ReadonlyRootfs });

    private static PathStat Stat(ContainerFileSystem fileSystem, ArchivePath request, string idOrName)
    {
        using var resolved = fileSystem.TryResolve(request.Clean, request.FollowLast);
        if (resolved?.Status() is not { } status) throw FileNotFound(request.Original, idOrName);
        var linkTarget = "";
        if (status.Kind == FileKind.Symlink)
        {
            using var target = fileSystem.TryResolve(request.Clean, followLast: true);
            linkTarget = target?.ContainerPath ?? "";
        }
        return PathStat.Of(request.StatName, status, linkTarget);
    }

    private static (uint, uint) OwnerOf(Berth.Oci.Runtime.User user) => (user.Uid, user.Gid);

    private static EngineException FileNotFound(string path, string idOrName) =>
        new(ErrorKind.NotFound, $"Could not find the file {path} in container {idOrName}");

    /// <summary>Host and archive failures as Docker's kinds: a bad tar is the client's fault, a failing disk the daemon's.</summary>
    private static async Task Host(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.InvalidArgument)
        {
            throw new EngineException(ErrorKind.InvalidArgument, e.Message, e);
        }
        catch (LinuxException e)
        {
            throw new EngineException(ErrorKind.System, e.Message, e);
        }
    }
}
