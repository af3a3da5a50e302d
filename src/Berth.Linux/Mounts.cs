using System.Runtime.InteropServices;

namespace Berth.Linux;

[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Synchronous = 16,
    Remount = 32,
    MandLock = 64,
    DirSync = 128,
    NoSymFollow = 256,
    NoAtime = 1024,
    NoDirAtime = 2048,
    Bind = 4096,
    Move = 8192,
    Rec = 16384,
    Silent = 32768,
    Unbindable = 1 << 17,
    Private = 1 << 18,
    Slave = 1 << 19,
    Shared = 1 << 20,
    RelAtime = 1 << 21,
    StrictAtime = 1 << 24,
    LazyTime = 1 << 25,

    PropagationMask = Unbindable | Private | Slave | Shared,
}

/// <summary>mount(2), umount2(2) and pivot_root(2).</summary>
public static partial class Mounts
{
    private const int MntDetach = 2;

    public static void Mount(string? source, string target, string? fsType, MountFlags flags, string? data, string? what = null)
    {
        if (mount(source, target, fsType, (ulong)flags, data) == -1)
            throw LinuxException.FromLastError("mount", what ?? $"{source ?? fsType} on {target}");
    }

    public static void SetPropagation(string target, MountFlags propagation, string? what = null) =>
        Mount(null, target, null, propagation, null, what ?? target);

    public static void DetachUnmount(string target)
    {
        if (umount2(target, MntDetach) == -1) throw LinuxException.FromLastError("umount2", target);
    }

    public static void PivotRoot(string newRoot, string putOld)
    {
        var a = FileDescriptors.Utf8Z(newRoot);
        var b = FileDescriptors.Utf8Z(putOld);
        unsafe
        {
            fixed (byte* pa = a, pb = b)
            {
                if (Sys.Call(SyscallNumbers.PivotRoot, (long)pa, (long)pb) == -1)
                    throw LinuxException.FromLastError("pivot_root", newRoot);
            }
        }
    }

    /// <summary>The flags a path's mount carries now (statfs f_flags), as mount(2) flags: a bind remount must keep them.</summary>
    public static unsafe MountFlags GetFlags(string path)
    {
        var buffer = stackalloc byte[128];
        if (statfs(path, buffer) == -1) throw LinuxException.FromLastError("statfs", path);
        var st = *(ulong*)(buffer + 80);
        var flags = (MountFlags)(st & 0xf) | (MountFlags)(st & (1024 | 2048));
        if ((st & 4096) != 0) flags |= MountFlags.RelAtime;
        return flags;
    }

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statfs(string path, byte* buffer);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}
