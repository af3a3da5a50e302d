namespace Berth.Runtime.Cgroups;

public enum CgroupMode
{
    /// <summary>Only cgroup v1 hierarchies.</summary>
    V1,

    /// <summary>Controllers live in the cgroup2 unified hierarchy (v1 named hierarchies may still be mounted).</summary>
    V2,

    /// <summary>v1 controller hierarchies plus a cgroup2 mount (systemd's hybrid, e.g. /sys/fs/cgroup/unified).</summary>
    Hybrid,
}

/// <summary>
/// Where the host mounts its cgroup hierarchies, read from a mountinfo table. The managers work under these mount
/// points; the runtime also needs them to mount /sys/fs/cgroup inside a container.
/// </summary>
public sealed class CgroupLayout
{
    public CgroupLayout(IEnumerable<CgroupHierarchy> v1Hierarchies, string? unifiedMountPoint)
    {
        V1Hierarchies = [.. v1Hierarchies];
        UnifiedMountPoint = unifiedMountPoint;
        var v1Controllers = V1Hierarchies.Any(h => h.Controllers.Count > 0);
        Mode = (v1Controllers, unifiedMountPoint is not null) switch
        {
            (true, true) => CgroupMode.Hybrid,
            (true, false) => CgroupMode.V1,
            (false, true) => CgroupMode.V2,
            (false, false) => throw new CgroupException("no cgroup hierarchy with controllers is mounted"),
        };
    }

    public CgroupMode Mode { get; }

    /// <summary>The mounted v1 hierarchies (controllers and named ones such as name=systemd), in mountinfo order.</summary>
    public IReadOnlyList<CgroupHierarchy> V1Hierarchies { get; }

    /// <summary>The cgroup2 mount point (/sys/fs/cgroup on v2, /sys/fs/cgroup/unified on hybrid), or null.</summary>
    public string? UnifiedMountPoint { get; }

    /// <summary>The v1 hierarchy a controller is bound to, or null when it is not mounted.</summary>
    public CgroupHierarchy? FindV1(string controller) => V1Hierarchies.FirstOrDefault(h => h.Has(controller));

    public static CgroupLayout Detect(string mountInfoPath = "/proc/self/mountinfo")
    {
        string mountInfo;
        try
        {
            mountInfo = File.ReadAllText(mountInfoPath);
        }
        catch (Exception e) when (CgroupException.IsFileSystemError(e))
        {
            throw CgroupException.Read(mountInfoPath, e);
        }
        return Parse(mountInfo);
    }

    /// <summary>The layout described by the text of a mountinfo table. A hierarchy mounted more than once (bind
    /// mounts) counts once, at its first mount point.</summary>
    public static CgroupLayout Parse(string mountInfo)
    {
        var hierarchies = new List<CgroupHierarchy>();
        var seenDevices = new HashSet<string>();
        string? unified = null;
        foreach (var mount in MountInfo.ParseCgroupMounts(mountInfo))
        {
            if (!seenDevices.Add(mount.Device)) continue;
            if (mount.FsType == "cgroup2")
            {
                unified ??= mount.MountPoint;
                continue;
            }
            var (controllers, name) = MountInfo.ControllersOf(mount.SuperOptions);
            if (controllers.Count > 0 || name is not null)
                hierarchies.Add(new CgroupHierarchy(mount.MountPoint, controllers, name));
        }
        return new CgroupLayout(hierarchies, unified);
    }
}
