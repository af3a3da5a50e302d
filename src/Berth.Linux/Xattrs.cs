using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Linux;

/// <summary>Extended attributes of a path, never following a final symlink (l*xattr).</summary>
public static unsafe partial class Xattrs
{
    public static void Set(string path, string name, ReadOnlySpan<byte> value)
    {
        int result;
        fixed (byte* v = value) result = lsetxattr(path, name, v, value.Length, 0);
        if (result == -1) throw LinuxException.FromLastError("lsetxattr", $"{path} {name}");
    }

    /// <summary>The value of one attribute, or null when the file does not have it.</summary>
    public static byte[]? TryGet(string path, string name)
    {
        while (true)
        {
            var size = lgetxattr(path, name, null, 0);
            if (size == -1) return Missing(Marshal.GetLastPInvokeError()) ? null : throw LinuxException.FromLastError("lgetxattr", $"{path} {name}");
            var buffer = new byte[size];
            nint n;
            fixed (byte* b = buffer) n = lgetxattr(path, name, b, buffer.Length);
            if (n >= 0) return buffer[..(int)n];
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.ERANGE) throw new LinuxException("lgetxattr", $"{path} {name}", errno);
        }
    }

    /// <summary>The attribute names of a path; empty when the file system has none.</summary>
    public static IReadOnlyList<string> List(string path)
    {
        while (true)
        {
            var size = llistxattr(path, null, 0);
            if (size == -1) return Missing(Marshal.GetLastPInvokeError()) ? [] : throw LinuxException.FromLastError("llistxattr", path);
            if (size == 0) return [];
            var buffer = new byte[size];
            nint n;
            fixed (byte* b = buffer) n = llistxattr(path, b, buffer.Length);
            if (n >= 0) return Encoding.UTF8.GetString(buffer, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.ERANGE) throw new LinuxException("llistxattr", path, errno);
        }
    }

    private const int ENOTSUP = 95;

    private static bool Missing(int errno) => errno is Errno.ENODATA or ENOTSUP;

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lsetxattr(string path, string name, byte* value, nint size, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint lgetxattr(string path, string name, byte* value, nint size);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint llistxattr(string path, byte* list, nint size);
}
