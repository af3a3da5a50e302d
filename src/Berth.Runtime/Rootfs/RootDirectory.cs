using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Rootfs;

/// <summary>
/// The container's root filesystem, opened once. Every path inside it is resolved with openat2(RESOLVE_IN_ROOT), so a
/// symlink in the image can never lead a mount or a new directory outside the rootfs (CVE-2021-30465).
/// </summary>
public sealed class RootDirectory : IDisposable
{
    private const ResolveFlags InRoot = ResolveFlags.InRoot | ResolveFlags.NoMagicLinks;

    public string HostPath { get; }
    public SafeFileHandle Handle { get; }

    public RootDirectory(string hostPath)
    {
        HostPath = hostPath;
        Handle = FileDescriptors.Open(hostPath, OpenFlags.Path | OpenFlags.Directory);
    }

    /// <summary>Opens an existing path inside the root (O_PATH), or null when it does not exist.</summary>
    public SafeFileHandle? TryOpen(string path)
    {
        var fd = FileDescriptors.TryOpenAt2(Handle, Relative(path), OpenFlags.Path, InRoot, 0, out var errno);
        return fd ?? (errno == Errno.ENOENT ? null : throw new LinuxException("openat2", Inside(path), errno));
    }

    /// <summary>
    /// Opens a path inside the root, creating it and any missing parent as directories (or the last as an empty file).
    /// Symlinks on the way are followed as if the root were "/" (runc's securejoin): a link to /x leads to ROOT/x, which
    /// is created there when missing.
    /// </summary>
    public SafeFileHandle OpenOrCreate(string path, bool asFile = false, uint mode = 0b111_101_101)
    {
        if (TryOpen(path) is { } existing) return existing;
        var pending = new List<string>(Components(path));
        var resolved = new List<string>(); // components known to be real directories inside the root
        for (var hops = 0; pending.Count > 0;)
        {
            var name = pending[0];
            pending.RemoveAt(0);
            if (name == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            using var parent = FileDescriptors.OpenAt2(Handle, Join(resolved), OpenFlags.Path | OpenFlags.Directory, InRoot);
            if (FileDescriptors.TryReadLinkAt(parent, name) is { } target)
            {
                if (++hops > 40) throw new LinuxException("openat2", Inside(path), Errno.ELOOP);
                if (target.StartsWith('/')) resolved.Clear();
                pending.InsertRange(0, Components(target));
                continue;
            }
            var exists = FileDescriptors.TryOpenAt2(parent, name, OpenFlags.Path, ResolveFlags.Beneath | ResolveFlags.NoSymlinks, 0, out var errno);
            if (exists is null)
            {
                if (errno != Errno.ENOENT) throw new LinuxException("openat2", Inside(Join([.. resolved, name])), errno);
                if (pending.Count == 0 && asFile) CreateFile(parent, name, mode);
                else FileDescriptors.MkdirAt(parent, name, mode);
            }
            exists?.Dispose();
            resolved.Add(name);
        }
        return FileDescriptors.OpenAt2(Handle, Join(resolved), OpenFlags.Path, InRoot);
    }

    /// <summary>Opens (creating) a directory inside the root as a real directory descriptor, for *at() calls.</summary>
    public SafeFileHandle OpenDirectory(string path)
    {
        OpenOrCreate(path).Dispose();
        return FileDescriptors.OpenAt2(Handle, Relative(path), OpenFlags.Path | OpenFlags.Directory, InRoot);
    }

    public string Inside(string path) => Path.Join(HostPath, Relative(path));

    private static void CreateFile(SafeFileHandle parent, string name, uint mode)
    {
        var fd = FileDescriptors.TryOpenAt2(parent, name, OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow | OpenFlags.WriteOnly,
            ResolveFlags.Beneath | ResolveFlags.NoSymlinks, mode & 0b110_110_110, out var errno);
        if (fd is null && errno != Errno.EEXIST) throw new LinuxException("create", name, errno);
        fd?.Dispose();
    }

    private static IEnumerable<string> Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".");

    private static string Join(List<string> components) => components.Count == 0 ? "." : string.Join('/', components);

    private static string Relative(string path)
    {
        var trimmed = path.TrimStart('/');
        return trimmed.Length == 0 ? "." : trimmed;
    }

    public void Dispose() => Handle.Dispose();
}
