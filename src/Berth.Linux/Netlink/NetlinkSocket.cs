using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Netlink;

/// <summary>
/// A netlink socket: one file descriptor, owned. It belongs for its whole life to the network namespace of the thread
/// that created it (see DESIGN.md, networking facts), so a socket made on a thread joined to a container's namespace
/// configures that namespace from any thread afterwards.
/// </summary>
public sealed unsafe partial class NetlinkSocket : SafeHandleZeroOrMinusOneIsInvalid
{
    private const int AfNetlink = 16, SockRaw = 3, SockCloexec = 0x80000;
    private const int SolSocket = 1, SoRcvTimeo = 20, SolNetlink = 270, NetlinkCapAck = 10, NetlinkExtAck = 11;

    private NetlinkSocket() : base(ownsHandle: true)
    {
    }

    /// <summary>Opens a socket of <paramref name="protocol"/> (0 = NETLINK_ROUTE) in the calling thread's network namespace.
    /// Replies come with extended acks (the kernel's own error text) and never echo the request back.</summary>
    public static NetlinkSocket Open(int protocol = 0)
    {
        var fd = socket(AfNetlink, SockRaw | SockCloexec, protocol);
        if (fd == -1) throw LinuxException.FromLastError("socket", "netlink");
        var handle = new NetlinkSocket();
        handle.SetHandle(fd);
        var one = 1;
        setsockopt(fd, SolNetlink, NetlinkCapAck, &one, sizeof(int));
        setsockopt(fd, SolNetlink, NetlinkExtAck, &one, sizeof(int));
        // A reply is always sent; the timeout only turns a kernel bug or a lost message into an error instead of a hang.
        var timeout = stackalloc long[2] { 10, 0 };
        setsockopt(fd, SolSocket, SoRcvTimeo, timeout, 16);
        return handle;
    }

    internal void Send(ReadOnlySpan<byte> message, string call, string? target)
    {
        fixed (byte* p = message)
        {
            nint sent;
            do sent = send(handle, p, (nuint)message.Length, 0);
            while (sent == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            if (sent == -1) throw LinuxException.FromLastError(call, target);
        }
    }

    /// <summary>Receives one datagram (one or more messages); a datagram larger than the buffer is an error, not a cut.</summary>
    internal int Receive(Span<byte> buffer, string call, string? target)
    {
        const int MsgTrunc = 0x20;
        fixed (byte* p = buffer)
        {
            nint received;
            do received = recv(handle, p, (nuint)buffer.Length, MsgTrunc);
            while (received == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            if (received == -1) throw LinuxException.FromLastError(call, target);
            if (received > buffer.Length) throw new LinuxException(call, target, Errno.ENOBUFS);
            return (int)received;
        }
    }

    protected override bool ReleaseHandle() => close((int)handle) == 0;

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int setsockopt(int fd, int level, int name, void* value, int length);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial nint send(nint fd, byte* buffer, nuint length, int flags);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial nint recv(nint fd, byte* buffer, nuint length, int flags);
    [LibraryImport(Libraries.Libc)] private static partial int close(int fd);
}
