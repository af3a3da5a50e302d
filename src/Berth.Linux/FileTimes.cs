using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>utimensat(2) on a name inside a directory descriptor, never following a final symlink.</summary>
public static unsafe partial class FileTimes
{
    private const int AtSymlinkNoFollow = 0x100;

    public static void SetAt(SafeHandle dir, string name, DateTimeOffset accessTime, DateTimeOffset modificationTime)
    {
        long* times = stackalloc long[4];
        Fill(times, accessTime);
        Fill(times + 2, modificationTime);
        if (utimensat((int)dir.DangerousGetHandle(), name, times, AtSymlinkNoFollow) == -1)
            throw LinuxException.FromLastError("utimensat", name);
    }

    private static void Fill(long* timespec, DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        timespec[0] = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0) { timespec[0]--; rest += TimeSpan.TicksPerSecond; }
        timespec[1] = rest * 100;
    }

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int utimensat(int dirfd, string path, long* times, int flags);
}
