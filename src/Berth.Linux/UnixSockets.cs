using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>
/// UNIX stream sockets as plain non-blocking descriptors, for a poll loop that must not start .NET's socket engine
/// (its epoll thread and buffers cost the per-container shim memory it has no use for).
/// </summary>
public static unsafe partial class UnixSockets
{
    private const int AfUnix = 1, SockStream = 1, SockNonBlock = 0x800, SockCloexec = 0x80000, SunPathLength = 108;

    /// <summary>A non-blocking, close-on-exec socket listening on <paramref name="path"/>, the file given <paramref name="mode"/>.</summary>
    public static SafeFileHandle Listen(string path, int backlog, uint mode)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= SunPathLength) throw new LinuxException("bind", path, Errno.ENAMETOOLONG);
        var fd = socket(AfUnix, SockStream | SockNonBlock | SockCloexec, 0);
        if (fd == -1) throw LinuxException.FromLastError("socket", path);
        var handle = new SafeFileHandle(fd, true);
        try
        {
            var address = stackalloc byte[2 + SunPathLength];
            new Span<byte>(address, 2 + SunPathLength).Clear();
            *(ushort*)address = AfUnix;
            bytes.CopyTo(new Span<byte>(address + 2, SunPathLength));
            if (bind(fd, address, 2 + bytes.Length + 1) == -1) throw LinuxException.FromLastError("bind", path);
            if (chmod(path, mode) == -1) throw LinuxException.FromLastError("chmod", path);
            if (listen(fd, backlog) == -1) throw LinuxException.FromLastError("listen", path);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>accept4(2): the next connection (non-blocking, close-on-exec), or null when none is waiting.</summary>
    public static SafeFileHandle? Accept(SafeHandle listener)
    {
        while (true)
        {
            var fd = accept4((int)listener.DangerousGetHandle(), null, null, SockNonBlock | SockCloexec);
            if (fd >= 0) return new SafeFileHandle(fd, true);
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR) continue;
            if (errno is Errno.EAGAIN or Errno.ECONNABORTED) return null;
            throw new LinuxException("accept4", null, errno);
        }
    }

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int bind(int fd, byte* address, int length);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int listen(int fd, int backlog);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int accept4(int fd, byte* address, int* length, int flags);
    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int chmod(string path, uint mode);
}
