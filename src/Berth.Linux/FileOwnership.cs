using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>Owner and mode changes on a name inside a directory descriptor, never following a final symlink.</summary>
public static partial class FileOwnership
{
    private const int AtSymlinkNoFollow = 0x100;

    /// <summary>lchown relative to <paramref name="dir"/>.</summary>
    public static void ChownAt(SafeHandle dir, string name, uint uid, uint gid)
    {
        if (fchownat((int)dir.DangerousGetHandle(), name, uid, gid, AtSymlinkNoFollow) == -1)
            throw LinuxException.FromLastError("lchown", name);
    }

    /// <summary>chmod relative to <paramref name="dir"/>; the caller makes sure <paramref name="name"/> is not a symlink.</summary>
    public static void ChmodAt(SafeHandle dir, string name, uint mode)
    {
        if (fchmodat((int)dir.DangerousGetHandle(), name, mode, 0) == -1)
            throw LinuxException.FromLastError("chmod", name);
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => geteuid();

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchmodat(int dirfd, string path, uint mode, int flags);

    [LibraryImport(Libraries.Libc)]
    private static partial uint geteuid();
}
