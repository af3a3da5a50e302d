using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>
/// socket(2) and close(2) on bare descriptors, for a socket made in another network namespace. A socket belongs for
/// life to the namespace of the thread that makes it, and every thread is born in its creator's namespace. .NET starts
/// process-wide threads lazily from whichever thread first needs them, and even <see cref="SafeSocketHandle"/>'s
/// constructor started the socket engine's thread (seen: it was born in the container's namespace, and the thread pool
/// workers it then started too). So the thread that joins the namespace only calls <see cref="Open"/> and leaves; the
/// caller wraps the descriptor (<c>new Socket(new SafeSocketHandle(fd, true))</c>) on its own thread, and bind, listen
/// and connect then act in the socket's namespace wherever they are called.
/// </summary>
public static partial class InetSockets
{
    private const int AfInet = 2, AfInet6 = 10, SockCloexec = 0x80000;

    /// <summary>A close-on-exec TCP or UDP socket of the calling thread's network namespace, as a bare descriptor.</summary>
    public static int Open(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        var domain = family switch
        {
            AddressFamily.InterNetwork => AfInet,
            AddressFamily.InterNetworkV6 => AfInet6,
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "IPv4 or IPv6 only"),
        };
        var fd = socket(domain, (int)type | SockCloexec, (int)protocol);
        return fd != -1 ? fd : throw LinuxException.FromLastError("socket", $"{family} {type} {protocol}");
    }

    /// <summary>Closes a descriptor from <see cref="Open"/> that was never wrapped.</summary>
    public static void Close(int fd) => close(fd);

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
    [LibraryImport(Libraries.Libc)] private static partial int close(int fd);
}
