using System.Globalization;
using Berth.Linux;

namespace Berth.Runtime.Cgroups;

/// <summary>Directory-tree operations shared by every hierarchy: make the levels of a path, read the processes of a
/// subtree, remove a subtree children first.</summary>
internal static class CgroupTree
{
    private const int RemoveAttempts = 20;
    private static readonly TimeSpan RemoveRetryDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The directory of <paramref name="cgroupPath"/> under a hierarchy's mount point.
    /// <code>
    /// {mountPoint}/{cgroupPath}        e.g. /sys/fs/cgroup/memory + /berth/abc → /sys/fs/cgroup/memory/berth/abc
    /// </code>
    /// </summary>
    public static string DirectoryOf(string mountPoint, string cgroupPath) =>
        Path.Join(mountPoint, cgroupPath.TrimStart('/'));

    /// <summary>Makes every missing level of the path under the mount point; returns the levels from the mount point
    /// (the root cgroup) down to the cgroup itself.</summary>
    public static IReadOnlyList<CgroupDirectory> CreateLevels(ICgroupFileSystem fs, string mountPoint, string cgroupPath)
    {
        if (!fs.DirectoryExists(mountPoint))
            throw new CgroupException($"cgroup hierarchy {mountPoint} is not mounted");

        var levels = new List<CgroupDirectory> { new(fs, mountPoint) };
        var current = mountPoint;
        foreach (var segment in cgroupPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Join(current, segment);
            try
            {
                fs.CreateDirectory(current);
            }
            catch (Exception e) when (CgroupException.IsFileSystemError(e))
            {
                throw CgroupException.Mkdir(current, e);
            }
            levels.Add(new CgroupDirectory(fs, current));
        }
        return levels;
    }

    /// <summary>Adds the processes of the directory and of every descendant.</summary>
    public static void ReadPids(ICgroupFileSystem fs, string dir, ISet<int> pids)
    {
        var procs = new CgroupDirectory(fs, dir).Read("cgroup.procs");
        foreach (var line in procs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) pids.Add(pid);
        }
        foreach (var child in GetChildren(fs, dir)) ReadPids(fs, child, pids);
    }

    /// <summary>Removes the directory and its descendants, deepest first; an absent directory is not an error.
    /// Failures are collected so that one busy hierarchy does not keep the others.</summary>
    public static void Remove(ICgroupFileSystem fs, string dir, List<CgroupException> errors)
    {
        IReadOnlyList<string> children;
        try
        {
            children = fs.GetDirectories(dir);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception e) when (CgroupException.IsFileSystemError(e))
        {
            errors.Add(CgroupException.Read(dir, e));
            return;
        }
        foreach (var child in children) Remove(fs, child, errors);
        if (RemoveOne(fs, dir) is { } error) errors.Add(error);
    }

    /// <summary>Throws what <see cref="Remove"/> collected, if anything.</summary>
    public static void ThrowIfAny(List<CgroupException> errors)
    {
        if (errors.Count == 1) throw errors[0];
        if (errors.Count > 1)
            throw new CgroupException(string.Join("; ", errors.Select(e => e.Message)), new AggregateException(errors));
    }

    private static IReadOnlyList<string> GetChildren(ICgroupFileSystem fs, string dir)
    {
        try
        {
            return fs.GetDirectories(dir);
        }
        catch (Exception e) when (CgroupException.IsFileSystemError(e))
        {
            throw CgroupException.Read(dir, e);
        }
    }

    // rmdir is EBUSY while the last process is still exiting (a killed task leaves the cgroup only once it is reaped).
    private static CgroupException? RemoveOne(ICgroupFileSystem fs, string dir)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                fs.RemoveDirectory(dir);
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (CgroupException.IsFileSystemError(e))
            {
                if (CgroupException.ErrnoOf(e) != Errno.EBUSY || attempt == RemoveAttempts)
                    return CgroupException.Rmdir(dir, e);
            }
            Thread.Sleep(RemoveRetryDelay);
        }
    }
}
