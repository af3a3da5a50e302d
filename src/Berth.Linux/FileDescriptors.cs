using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

[Flags]
public enum OpenFlags
{
    ReadOnly = 0,
    WriteOnly = 1,
    ReadWrite = 2,
    Create = 0x40,
    Exclusive = 0x80,
    NoCtty = 0x100,
    Truncate = 0x200,
    Append = 0x400,
    NonBlock = 0x800,
    Directory = 0x10000,
    NoFollow = 0x20000,
    CloseOnExec = 0x80000,
    Path = 0x200000,
}

[Flags]
public enum ResolveFlags : ulong
{
    None = 0,
    NoXdev = 0x01,
    NoMagicLinks = 0x02,
    NoSymlinks = 0x04,
    Beneath = 0x08,
    InRoot = 0x10,
}

/// <summary>Both ends of a pipe; disposing closes whichever are still open.</summary>
public sealed record PipeEnds(SafeFileHandle Read, SafeFileHandle Write) : IDisposable
{
    public void Dispose()
    {
        Read.Dispose();
        Write.Dispose();
    }
}

/// <summary>File descriptor level calls: open, openat2, pipes, dup, fifo, device nodes.</summary>
public static unsafe partial class FileDescriptors
{
    private const int AtFdCwd = -100;
    private const int FDupFdCloexec = 1030;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    public static SafeFileHandle Open(string path, OpenFlags flags, uint mode = 0)
    {
        var fd = open(path, (int)(flags | OpenFlags.CloseOnExec), mode);
        return fd == -1 ? throw LinuxException.FromLastError("open", path) : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>openat2(2): opens <paramref name="path"/> relative to <paramref name="dir"/> under <paramref name="resolve"/> rules.</summary>
    public static SafeFileHandle OpenAt2(SafeHandle dir, string path, OpenFlags flags, ResolveFlags resolve, uint mode = 0)
    {
        var fd = TryOpenAt2(dir, path, flags, resolve, mode, out var errno);
        return fd ?? throw new LinuxException("openat2", path, errno);
    }

    public static SafeFileHandle? TryOpenAt2(SafeHandle dir, string path, OpenFlags flags, ResolveFlags resolve, uint mode, out int errno)
    {
        var how = new OpenHow { Flags = (ulong)(flags | OpenFlags.CloseOnExec), Mode = mode, Resolve = (ulong)resolve };
        var bytes = Utf8Z(path);
        long fd;
        do
        {
            fixed (byte* p = bytes)
                fd = Sys.Call(SyscallNumbers.Openat2, dir.DangerousGetHandle(), (long)p, (long)&how, sizeof(OpenHow));
            errno = fd == -1 ? Marshal.GetLastPInvokeError() : 0;
        } while (errno == Errno.EAGAIN || errno == Errno.EINTR);
        return fd == -1 ? null : new SafeFileHandle((nint)fd, ownsHandle: true);
    }

    /// <summary>Path of an open descriptor that mount(2) and friends resolve back to the same object.</summary>
    public static string ProcPath(SafeHandle fd) => $"/proc/self/fd/{fd.DangerousGetHandle()}";

    public static void MkdirAt(SafeHandle dir, string name, uint mode)
    {
        if (mkdirat((int)dir.DangerousGetHandle(), name, mode) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EEXIST) throw new LinuxException("mkdirat", name, errno);
        }
    }

    public static void MknodAt(SafeHandle dir, string name, uint mode, ulong device)
    {
        if (mknodat((int)dir.DangerousGetHandle(), name, mode, device) == -1)
            throw LinuxException.FromLastError("mknod", name);
    }

    public static void SymlinkAt(string target, SafeHandle dir, string name)
    {
        if (symlinkat(target, (int)dir.DangerousGetHandle(), name) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EEXIST) throw new LinuxException("symlink", name, errno);
        }
    }

    /// <summary>Changes the owner of the file a descriptor (O_PATH ones too) refers to.</summary>
    public static void ChownFd(SafeHandle fd, uint uid, uint gid, string what)
    {
        const int atEmptyPath = 0x1000;
        if (fchownat((int)fd.DangerousGetHandle(), "", uid, gid, atEmptyPath) == -1) throw LinuxException.FromLastError("fchownat", what);
    }

    public static void MkFifo(string path, uint mode)
    {
        if (mknodat(AtFdCwd, path, 0x1000 | mode, 0) == -1) throw LinuxException.FromLastError("mkfifo", path);
        // mknod applies the umask; the fifo must be writable by the container's user.
        if (chmod(path, mode) == -1) throw LinuxException.FromLastError("chmod", path);
    }

    public static PipeEnds Pipe()
    {
        int* fds = stackalloc int[2];
        if (pipe2(fds, (int)OpenFlags.CloseOnExec) == -1) throw LinuxException.FromLastError("pipe2");
        return new PipeEnds(new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }

    /// <summary>A close-on-exec duplicate numbered at least <paramref name="minimum"/>.</summary>
    public static SafeFileHandle DuplicateAbove(SafeHandle fd, int minimum)
    {
        var dup = fcntl((int)fd.DangerousGetHandle(), FDupFdCloexec, minimum);
        return dup == -1 ? throw LinuxException.FromLastError("fcntl(F_DUPFD_CLOEXEC)") : new SafeFileHandle(dup, true);
    }

    /// <summary>Clears O_NONBLOCK: reads wait again.</summary>
    public static void SetBlocking(SafeHandle fd)
    {
        const int fGetFl = 3, fSetFl = 4, oNonBlock = 0x800;
        var flags = fcntl((int)fd.DangerousGetHandle(), fGetFl, 0);
        if (flags == -1 || fcntl((int)fd.DangerousGetHandle(), fSetFl, flags & ~oNonBlock) == -1) throw LinuxException.FromLastError("fcntl(F_SETFL)");
    }

    /// <summary>Marks every descriptor from <paramref name="first"/> up close-on-exec, so nothing of the host leaks through execve.</summary>
    public static void MarkAllCloseOnExec(int first)
    {
        const long closeRangeCloexec = 4;
        if (Sys.Call(SyscallNumbers.CloseRange, first, uint.MaxValue, closeRangeCloexec) == -1)
            throw LinuxException.FromLastError("close_range");
    }

    public static int Dup2(int oldFd, int newFd) => LinuxException.ThrowIfError(dup2(oldFd, newFd), "dup2", newFd.ToString());

    public static int Read(SafeHandle fd, Span<byte> buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = read((int)fd.DangerousGetHandle(), p, buffer.Length);
            if (n >= 0) return (int)n;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) throw new LinuxException("read", null, errno);
        }
    }

    public static void WriteAll(SafeHandle fd, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            nint n;
            fixed (byte* p = data) n = write((int)fd.DangerousGetHandle(), p, data.Length);
            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue;
                throw new LinuxException("write", null, errno);
            }
            data = data[(int)n..];
        }
    }

    /// <summary>readlinkat(2): the target of a symlink, or null when the name is not a symlink or does not exist.</summary>
    public static string? TryReadLinkAt(SafeHandle dir, string name)
    {
        var buffer = new byte[4096];
        nint n;
        fixed (byte* b = buffer) n = readlinkat((int)dir.DangerousGetHandle(), name, b, buffer.Length);
        if (n >= 0) return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)n);
        var errno = Marshal.GetLastPInvokeError();
        return errno is Errno.EINVAL or Errno.ENOENT ? null : throw new LinuxException("readlinkat", name, errno);
    }

    /// <summary>realpath(3): the absolute path with every symlink resolved.</summary>
    public static string RealPath(string path)
    {
        var resolved = realpath(path, null);
        if (resolved == 0) throw LinuxException.FromLastError("realpath", path);
        try
        {
            return Marshal.PtrToStringUTF8(resolved)!;
        }
        finally
        {
            Marshal.FreeHGlobal(resolved); // malloc'ed by libc; FreeHGlobal is free() on Unix
        }
    }

    public static bool IsExecutable(string path) => access(path, 1) == 0;

    internal static byte[] Utf8Z(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdirat(int dirfd, string path, uint mode);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mknodat(int dirfd, string path, uint mode, ulong dev);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int symlinkat(string target, int dirfd, string linkpath);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chmod(string path, uint mode);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    private static partial int pipe2(int* fds, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    private static partial int dup2(int oldfd, int newfd);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    private static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Libraries.Libc, SetLastError = true)]
    private static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint readlinkat(int dirfd, string path, byte* buffer, nint size);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint realpath(string path, byte* resolved);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int access(string path, int mode);
}
