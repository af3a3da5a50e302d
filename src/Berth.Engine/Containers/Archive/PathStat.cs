using Berth.Linux;

namespace Berth.Engine.Containers.Archive;

/// <summary>
/// Docker's <c>ContainerPathStat</c>, what <c>HEAD</c> and <c>GET /containers/{id}/archive</c> answer in
/// <c>X-Docker-Container-Path-Stat</c>: the name as asked, the entry itself (a link is not followed), and for a link
/// the path it finally leads to inside the container.
/// </summary>
/// <param name="Mode">Go's <c>os.FileMode</c> bits: the permissions, and the type and special bits high up.</param>
public sealed record PathStat(string Name, long Size, uint Mode, DateTimeOffset Mtime, string LinkTarget)
{
    private const uint GoDir = 1u << 31, GoSymlink = 1u << 27, GoDevice = 1u << 26, GoNamedPipe = 1u << 25, GoSocket = 1u << 24,
        GoSetuid = 1u << 23, GoSetgid = 1u << 22, GoCharDevice = 1u << 21, GoSticky = 1u << 20;

    /// <summary>The mtime with nanoseconds, as Go keeps it (DateTimeOffset holds only 100 ns ticks).</summary>
    public long MtimeNanoseconds { get; init; }

    public bool IsDirectory => (Mode & GoDir) != 0;
    public bool IsSymlink => (Mode & GoSymlink) != 0;

    internal static PathStat Of(string name, FileStatus status, string linkTarget) =>
        new(name, status.Size, GoFileMode(status), status.ModificationTime, linkTarget) { MtimeNanoseconds = status.MtimeNanoseconds };

    internal static uint GoFileMode(FileStatus status)
    {
        var mode = status.Mode & 0x1FF;
        if ((status.Mode & 0x800) != 0) mode |= GoSetuid;
        if ((status.Mode & 0x400) != 0) mode |= GoSetgid;
        if ((status.Mode & 0x200) != 0) mode |= GoSticky;
        return mode | status.Kind switch
        {
            FileKind.Directory => GoDir,
            FileKind.Symlink => GoSymlink,
            FileKind.BlockDevice => GoDevice,
            FileKind.CharDevice => GoDevice | GoCharDevice,
            FileKind.Fifo => GoNamedPipe,
            FileKind.Socket => GoSocket,
            _ => 0u,
        };
    }
}
