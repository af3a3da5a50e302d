using System.Runtime.InteropServices;

namespace Berth.Linux;

[Flags]
public enum PollEvents : short
{
    None = 0,
    In = 0x001,
    Out = 0x004,
    Error = 0x008,
    HangUp = 0x010,
    Invalid = 0x020,
    ReadHangUp = 0x2000,
}

/// <summary>One entry of poll(2)'s array.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PollFd
{
    public int Fd;
    public PollEvents Events;
    public PollEvents Revents;
}

/// <summary>poll(2): the readiness of many descriptors at once, for a single-threaded event loop.</summary>
public static unsafe partial class Poll
{
    /// <summary>Waits until one of <paramref name="fds"/> is ready or the timeout (ms, -1 = none) passes; 0 when interrupted.</summary>
    public static int Wait(Span<PollFd> fds, int timeoutMs)
    {
        int r;
        fixed (PollFd* p = fds) r = poll(p, (nuint)fds.Length, timeoutMs);
        if (r >= 0) return r;
        var errno = Marshal.GetLastPInvokeError();
        return errno == Errno.EINTR ? 0 : throw new LinuxException("poll", null, errno);
    }

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int poll(PollFd* fds, nuint nfds, int timeout);
}
