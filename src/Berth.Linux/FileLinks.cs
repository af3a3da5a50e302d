using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>linkat(2) and unlinkat(2) on names inside directory descriptors.</summary>
public static partial class FileLinks
{
    private const int AtRemoveDir = 0x200;

    /// <summary>A hard link <paramref name="newDir"/>/<paramref name="newName"/> to the object (a symlink itself, not its target) at <paramref name="oldDir"/>/<paramref name="oldName"/>.</summary>
    public static void LinkAt(SafeHandle oldDir, string oldName, SafeHandle newDir, string newName)
    {
        if (linkat((int)oldDir.DangerousGetHandle(), oldName, (int)newDir.DangerousGetHandle(), newName, 0) == -1)
            throw LinuxException.FromLastError("linkat", $"{newName} -> {oldName}");
    }

    /// <summary>Removes a name (an empty directory when <paramref name="directory"/>); false when it did not exist.</summary>
    public static bool TryUnlinkAt(SafeHandle dir, string name, bool directory)
    {
        if (unlinkat((int)dir.DangerousGetHandle(), name, directory ? AtRemoveDir : 0) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ENOENT ? false : throw new LinuxException("unlinkat", name, errno);
    }

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlinkat(int dirfd, string path, int flags);
}
