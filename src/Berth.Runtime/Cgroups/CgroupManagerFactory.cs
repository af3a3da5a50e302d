using Berth.Runtime.Cgroups.V1;
using Berth.Runtime.Cgroups.V2;

namespace Berth.Runtime.Cgroups;

/// <summary>Picks the manager for the host's cgroup layout.</summary>
public static class CgroupManagerFactory
{
    /// <summary>A manager over the real cgroupfs.</summary>
    public static ICgroupManager Create(string cgroupsPath, CgroupLayout layout) =>
        Create(cgroupsPath, layout, HostCgroupFileSystem.Instance);

    /// <summary>A manager over the given file system (tests pass a cgroupfs emulator on a temp directory).</summary>
    /// <exception cref="CgroupException">The path is empty, the root, or in the systemd form (slice:prefix:name).</exception>
    public static ICgroupManager Create(string cgroupsPath, CgroupLayout layout, ICgroupFileSystem fileSystem)
    {
        var path = CgroupPath.Normalize(cgroupsPath);
        return layout.Mode switch
        {
            CgroupMode.V1 => new V1CgroupManager(path, layout.V1Hierarchies, fileSystem),
            CgroupMode.V2 => new V2CgroupManager(path, layout.UnifiedMountPoint!, fileSystem),
            _ => new HybridCgroupManager(
                new V1CgroupManager(path, layout.V1Hierarchies, fileSystem),
                new V2CgroupManager(path, layout.UnifiedMountPoint!, fileSystem)),
        };
    }
}
