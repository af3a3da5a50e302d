using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>
/// A sealed in-memory copy of an executable (memfd). A process started from it has a <c>/proc/PID/exe</c> that nothing
/// can write through, so a container cannot overwrite the runtime binary on the host (CVE-2019-5736).
/// </summary>
public static unsafe partial class SealedExecutable
{
    private const uint MfdCloexec = 1, MfdAllowSealing = 2;
    private const int FAddSeals = 1033;
    private const int SealAll = 1 | 2 | 4 | 8; // F_SEAL_SEAL | SHRINK | GROW | WRITE

    /// <summary>Copies <paramref name="path"/> into a sealed memfd; execute it through <see cref="FileDescriptors.ProcPath"/>.</summary>
    public static SafeFileHandle Create(string path)
    {
        using var source = FileDescriptors.Open(path, OpenFlags.ReadOnly);
        var name = FileDescriptors.Utf8Z("berth-runtime");
        long fd;
        fixed (byte* p = name) fd = Sys.Call(SyscallNumbers.MemfdCreate, (long)p, MfdCloexec | MfdAllowSealing);
        if (fd == -1) throw LinuxException.FromLastError("memfd_create", path);
        var memfd = new SafeFileHandle((nint)fd, true);
        try
        {
            var size = new FileInfo(path).Length;
            for (long copied = 0; copied < size;)
            {
                var n = sendfile((int)fd, (int)source.DangerousGetHandle(), null, (nuint)(size - copied));
                if (n <= 0) throw n == 0 ? new IOException($"sendfile {path}: short copy") : LinuxException.FromLastError("sendfile", path);
                copied += n;
            }
            if (fcntl((int)fd, FAddSeals, SealAll) == -1) throw LinuxException.FromLastError("fcntl(F_ADD_SEALS)", path);
            return memfd;
        }
        catch
        {
            memfd.Dispose();
            throw;
        }
    }

    [LibraryImport("libc", SetLastError = true)] private static partial nint sendfile(int outFd, int inFd, long* offset, nuint count);
    [LibraryImport("libc", SetLastError = true)] private static partial int fcntl(int fd, int cmd, int arg);
}
