using Berth.Engine.Containers.Model;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Archive;

/// <summary>
/// A container's filesystem as the container sees it, reached from the daemon: its rootfs, with each bind and volume
/// mount's host source standing at the mount's destination (the daemon's own view of the rootfs has none of them).
/// Paths are resolved one component at a time, every symlink read and spliced in as the container would follow it (an
/// absolute target restarts at the container's root, <c>..</c> stops at it), and every open is made beneath a directory
/// already resolved with symlinks refused, so neither a hostile link nor one swapped in meanwhile leads out
/// (CVE-2018-15664, CVE-2019-14271). tmpfs mounts live only in the container's mount namespace and are not seen.
/// </summary>
internal sealed class ContainerFileSystem : IDisposable
{
    private const int MaxLinks = 40;
    private const OpenFlags DirectoryPath = OpenFlags.Path | OpenFlags.Directory;
    private const ResolveFlags Beneath = ResolveFlags.Beneath | ResolveFlags.NoSymlinks | ResolveFlags.NoMagicLinks;

    private readonly SafeFileHandle _root;
    private readonly List<(string[] Destination, MountPoint Point, SafeFileHandle Source)> _mounts = [];

    /// <param name="rootfs">The host directory where the container's root filesystem is mounted.</param>
    /// <param name="mounts">Its mounts; those whose source is missing on the host are left out.</param>
    public ContainerFileSystem(string rootfs, IEnumerable<MountPoint> mounts)
    {
        _root = FileDescriptors.Open(rootfs, DirectoryPath);
        foreach (var point in mounts.Where(m => m.Type is "bind" or "volume" && m.Source.Length > 0))
        {
            if (FileStatus.TryGet(point.Source) is null) continue;
            _mounts.Add((Components(point.Destination).ToArray(), point, FileDescriptors.Open(point.Source, OpenFlags.Path)));
        }
        _mounts.Sort((a, b) => b.Destination.Length.CompareTo(a.Destination.Length));
    }

    /// <summary>
    /// Resolves <paramref name="path"/> (absolute in the container); the last component is followed when it is a link
    /// and <paramref name="followLast"/> is set. Null when a directory on the way does not exist or is no directory.
    /// The last component itself need not exist.
    /// </summary>
    public ResolvedPath? TryResolve(string path, bool followLast)
    {
        var pending = new List<string>(Components(path));
        var resolved = new List<string>();
        for (var links = 0; pending.Count > 0;)
        {
            var name = pending[0];
            pending.RemoveAt(0);
            if (name == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            if ((pending.Count > 0 || followLast) && !IsMountDestination([.. resolved, name]))
            {
                using var parent = TryOpenDirectory(resolved);
                if (parent is null) return null;
                if (FileDescriptors.TryReadLinkAt(parent, name) is { } target)
                {
                    if (++links > MaxLinks) throw new EngineException(ErrorKind.System, $"{path}: too many levels of symbolic links");
                    if (target.StartsWith('/')) resolved.Clear();
                    pending.InsertRange(0, Components(target));
                    continue;
                }
            }
            resolved.Add(name);
        }
        return Open(resolved);
    }

    /// <summary>The mount whose source stands at <paramref name="containerPath"/> exactly, opened as its own root.</summary>
    public ResolvedPath? MountAt(string containerPath)
    {
        var components = Components(containerPath).ToArray();
        return IsMountDestination(components) ? Open([.. components]) : null;
    }

    /// <summary>The mount that holds <paramref name="containerPath"/>, or null for the rootfs itself.</summary>
    public MountPoint? MountHolding(string containerPath) => Locate([.. Components(containerPath)]).Mount;

    private ResolvedPath? Open(List<string> resolved)
    {
        var containerPath = "/" + string.Join('/', resolved);
        var (source, mount, rest) = Locate(resolved);
        if (rest.Count == 0)
        {
            // The root, or a mount's source: the object itself, named by its descriptor.
            var self = FileDescriptors.TryOpenAt2(source, ".", OpenFlags.Path, Beneath, 0, out _)
                ?? FileDescriptors.Open(FileDescriptors.ProcPath(source), OpenFlags.Path);
            return new ResolvedPath(self, "", containerPath, mount);
        }
        var dir = FileDescriptors.TryOpenAt2(source, Join(rest[..^1]), DirectoryPath, Beneath, 0, out _);
        return dir is null ? null : new ResolvedPath(dir, rest[^1], containerPath, mount);
    }

    private SafeFileHandle? TryOpenDirectory(List<string> resolved)
    {
        var (source, _, rest) = Locate(resolved);
        return FileDescriptors.TryOpenAt2(source, Join(rest), DirectoryPath, Beneath, 0, out _);
    }

    /// <summary>The filesystem a resolved path lies in (the deepest mount whose destination holds it) and the rest of the path in it.</summary>
    private (SafeFileHandle Source, MountPoint? Mount, List<string> Remaining) Locate(List<string> resolved)
    {
        foreach (var (destination, point, source) in _mounts)
            if (destination.Length <= resolved.Count && destination.SequenceEqual(resolved.Take(destination.Length), StringComparer.Ordinal))
                return (source, point, resolved[destination.Length..]);
        return (_root, null, resolved);
    }

    private bool IsMountDestination(IReadOnlyList<string> components) =>
        _mounts.Any(m => m.Destination.SequenceEqual(components, StringComparer.Ordinal));

    internal static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".");

    private static string Join(List<string> components) => components.Count == 0 ? "." : string.Join('/', components);

    public void Dispose()
    {
        _root.Dispose();
        foreach (var (_, _, source) in _mounts) source.Dispose();
    }
}

/// <summary>
/// A resolved path: <see cref="Name"/> inside the directory <see cref="Directory"/> (an O_PATH descriptor), or, when
/// <see cref="Name"/> is empty, the object <see cref="Directory"/> refers to (the root, or a mount's source).
/// </summary>
internal sealed record ResolvedPath(SafeFileHandle Directory, string Name, string ContainerPath, MountPoint? Mount) : IDisposable
{
    public FileStatus? Status() => FileStatus.TryGetAt(Directory, Name);

    public void Dispose() => Directory.Dispose();
}
