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

    /// <summary>Opens a path inside the root, creating it and any missing parent as directories (or the last as an empty file).</summary>
    public SafeFileHandle OpenOrCreate(string path, bool asFile = false, uint mode = 0b111_101_101)
    {
        if (TryOpen(path) is { } existing) return existing;
        var parts = Relative(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = FileDescriptors.OpenAt2(Handle, ".", OpenFlags.Path | OpenFlags.Directory, InRoot);
        for (var i = 0; i < parts.Length; i++)
        {
            var prefix = string.Join('/', parts, 0, i + 1);
            var last = i == parts.Length - 1;
            var next = FileDescriptors.TryOpenAt2(Handle, prefix, OpenFlags.Path, InRoot, 0, out var errno);
            if (next is null)
            {
                if (errno != Errno.ENOENT) throw new LinuxException("openat2", Inside(prefix), errno);
                if (last && asFile) CreateFile(parent, parts[i], mode);
                else FileDescriptors.MkdirAt(parent, parts[i], mode);
                next = FileDescriptors.OpenAt2(Handle, prefix, OpenFlags.Path, InRoot);
            }
            parent.Dispose();
            parent = next;
        }
        return parent;
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

    private static string Relative(string path)
    {
        var trimmed = path.TrimStart('/');
        return trimmed.Length == 0 ? "." : trimmed;
    }

    public void Dispose() => Handle.Dispose();
}
