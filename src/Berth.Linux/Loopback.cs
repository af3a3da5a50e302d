using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>Brings an interface up in the caller's network namespace (SIOCSIFFLAGS): the <c>lo</c> of a new namespace starts down.</summary>
public static unsafe partial class Loopback
{
    private const int AfInet = 2, SockDgram = 2, SockCloexec = 0x80000;
    private const uint SiocGifFlags = 0x8913, SiocSifFlags = 0x8914;
    private const short IffUp = 1;

    public static void Up(string name = "lo")
    {
        var sock = socket(AfInet, SockDgram | SockCloexec, 0);
        if (sock == -1) throw LinuxException.FromLastError("socket", name);
        try
        {
            var ifreq = stackalloc byte[40];
            new Span<byte>(ifreq, 40).Clear();
            System.Text.Encoding.ASCII.GetBytes(name, new Span<byte>(ifreq, 15));
            if (ioctl(sock, SiocGifFlags, ifreq) == -1) throw LinuxException.FromLastError("ioctl(SIOCGIFFLAGS)", name);
            *(short*)(ifreq + 16) |= IffUp;
            if (ioctl(sock, SiocSifFlags, ifreq) == -1) throw LinuxException.FromLastError("ioctl(SIOCSIFFLAGS)", name);
        }
        finally
        {
            close(sock);
        }
    }

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int ioctl(int fd, nuint request, void* arg);
    [LibraryImport(Libraries.Libc)] private static partial int close(int fd);
}
