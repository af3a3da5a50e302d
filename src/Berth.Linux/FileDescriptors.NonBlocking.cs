using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>Non-blocking reads and writes for poll loops: "would block" and errors come back as errno, not exceptions.</summary>
public static unsafe partial class FileDescriptors
{
    /// <summary>Sets O_NONBLOCK: reads and writes return EAGAIN instead of waiting.</summary>
    public static void SetNonBlocking(SafeHandle fd)
    {
        const int fGetFl = 3, fSetFl = 4, oNonBlock = 0x800;
        var flags = fcntl((int)fd.DangerousGetHandle(), fGetFl, 0);
        if (flags == -1 || fcntl((int)fd.DangerousGetHandle(), fSetFl, flags | oNonBlock) == -1) throw LinuxException.FromLastError("fcntl(F_SETFL)");
    }

    /// <summary>read(2) without throwing: the count (0 = end of stream), or -1 with <paramref name="errno"/> (EAGAIN: nothing yet).</summary>
    public static int TryRead(SafeHandle fd, Span<byte> buffer, out int errno)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = read((int)fd.DangerousGetHandle(), p, buffer.Length);
            errno = n >= 0 ? 0 : Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) return (int)n;
        }
    }

    /// <summary>write(2) without throwing: the count written (maybe short), or -1 with <paramref name="errno"/> (EAGAIN: full).</summary>
    public static int TryWrite(SafeHandle fd, ReadOnlySpan<byte> data, out int errno)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = data) n = write((int)fd.DangerousGetHandle(), p, data.Length);
            errno = n >= 0 ? 0 : Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) return (int)n;
        }
    }
}
