using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>The file type bits of st_mode.</summary>
public enum FileKind
{
    Fifo = 0x1000,
    CharDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    Regular = 0x8000,
    Symlink = 0xA000,
    Socket = 0xC000,
}

/// <summary>What statx(2) says about one name, never following a final symlink.</summary>
public readonly partial record struct FileStatus(
    uint Mode, uint Uid, uint Gid, ulong Inode, ulong Device, uint LinkCount, long Size,
    uint RdevMajor, uint RdevMinor, long MtimeSeconds, uint MtimeNanoseconds)
{
    public FileKind Kind => (FileKind)(Mode & 0xF000);

    /// <summary>Permission bits plus setuid, setgid and sticky.</summary>
    public uint Permissions => Mode & 0xFFF;

    public DateTimeOffset ModificationTime =>
        DateTimeOffset.FromUnixTimeSeconds(MtimeSeconds).AddTicks(MtimeNanoseconds / 100);

    /// <summary>lstat of <paramref name="name"/> relative to <paramref name="dir"/>; null when it does not exist.</summary>
    public static FileStatus? TryGetAt(SafeHandle dir, string name) => Query((int)dir.DangerousGetHandle(), name, name);

    /// <summary>lstat of an absolute or working-directory-relative path; null when it does not exist.</summary>
    public static FileStatus? TryGet(string path) => Query(AtFdCwd, path, path);

    public static FileStatus Get(string path) =>
        TryGet(path) ?? throw new LinuxException("statx", path, Errno.ENOENT);

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;

    private static unsafe FileStatus? Query(int dirfd, string name, string what)
    {
        byte* b = stackalloc byte[256];
        var flags = AtSymlinkNoFollow | (name.Length == 0 ? AtEmptyPath : 0);
        if (statx(dirfd, name, flags, StatxBasicStats, b) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw new LinuxException("statx", what, errno);
        }
        // struct statx has one layout on every architecture (include/uapi/linux/stat.h).
        return new FileStatus(
            Mode: *(ushort*)(b + 28), Uid: *(uint*)(b + 20), Gid: *(uint*)(b + 24), Inode: *(ulong*)(b + 32),
            Device: ((ulong)*(uint*)(b + 136) << 32) | *(uint*)(b + 140), LinkCount: *(uint*)(b + 16), Size: *(long*)(b + 40),
            RdevMajor: *(uint*)(b + 128), RdevMinor: *(uint*)(b + 132), MtimeSeconds: *(long*)(b + 112), MtimeNanoseconds: *(uint*)(b + 120));
    }

    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
