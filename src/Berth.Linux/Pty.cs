using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>Pseudo-terminals: open a pair, control terminal, window size, raw mode.</summary>
public static unsafe partial class Pty
{
    private const uint TiocGptn = 0x80045430, TiocSptlck = 0x40045431, TiocSctty = 0x540E, TiocSwinsz = 0x5414, TiocGwinsz = 0x5413;

    /// <summary>Opens <paramref name="ptmx"/> and its slave; both close-on-exec.</summary>
    public static (SafeFileHandle Master, SafeFileHandle Slave, string SlavePath) Open(string ptmx = "/dev/ptmx")
    {
        var master = FileDescriptors.Open(ptmx, OpenFlags.ReadWrite | OpenFlags.NoCtty);
        try
        {
            int unlock = 0, number = 0;
            Ioctl(master, TiocSptlck, &unlock, "TIOCSPTLCK");
            Ioctl(master, TiocGptn, &number, "TIOCGPTN");
            var slavePath = $"/dev/pts/{number}";
            var slave = FileDescriptors.Open(slavePath, OpenFlags.ReadWrite | OpenFlags.NoCtty);
            return (master, slave, slavePath);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    public static void SetControllingTerminal(SafeHandle tty)
    {
        if (ioctl((int)tty.DangerousGetHandle(), TiocSctty, null) == -1) throw LinuxException.FromLastError("ioctl(TIOCSCTTY)");
    }

    public static void SetWindowSize(SafeHandle tty, ushort rows, ushort columns)
    {
        var ws = stackalloc ushort[4];
        ws[0] = rows;
        ws[1] = columns;
        Ioctl(tty, TiocSwinsz, ws, "TIOCSWINSZ");
    }

    public static bool TryGetWindowSize(int fd, out ushort rows, out ushort columns)
    {
        var ws = stackalloc ushort[4];
        var ok = ioctl(fd, TiocGwinsz, ws) == 0;
        rows = ws[0];
        columns = ws[1];
        return ok;
    }

    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    /// <summary>Puts a terminal in raw mode; returns the saved settings for <see cref="Restore"/>.</summary>
    public static byte[] MakeRaw(int fd)
    {
        var saved = new byte[64];
        var raw = stackalloc byte[64];
        fixed (byte* s = saved)
        {
            if (tcgetattr(fd, s) == -1) throw LinuxException.FromLastError("tcgetattr");
            new Span<byte>(s, 64).CopyTo(new Span<byte>(raw, 64));
        }
        cfmakeraw(raw);
        if (tcsetattr(fd, 0, raw) == -1) throw LinuxException.FromLastError("tcsetattr");
        return saved;
    }

    public static void Restore(int fd, byte[] saved)
    {
        fixed (byte* s = saved) tcsetattr(fd, 0, s);
    }

    private static void Ioctl(SafeHandle fd, uint request, void* arg, string name)
    {
        if (ioctl((int)fd.DangerousGetHandle(), request, arg) == -1) throw LinuxException.FromLastError($"ioctl({name})");
    }

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int ioctl(int fd, nuint request, void* arg);
    [LibraryImport(Libraries.Libc)] private static partial int isatty(int fd);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int tcgetattr(int fd, byte* termios);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int tcsetattr(int fd, int actions, byte* termios);
    [LibraryImport(Libraries.Libc)] private static partial void cfmakeraw(byte* termios);
}
