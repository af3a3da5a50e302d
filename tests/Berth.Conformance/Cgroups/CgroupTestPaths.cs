using Berth.Runtime.Cgroups;

namespace Berth.Conformance.Cgroups;

/// <summary>Where a manager is expected to keep a cgroup, computed from the layout independently of the managers.</summary>
public static class CgroupTestPaths
{
    /// <summary>v1: every hierarchy; v2: the unified one; hybrid: both.</summary>
    public static IEnumerable<string> DirectoriesOf(CgroupLayout layout, string cgroupPath)
    {
        if (layout.Mode != CgroupMode.V2)
        {
            foreach (var hierarchy in layout.V1Hierarchies) yield return Join(hierarchy.MountPoint, cgroupPath);
        }
        if (layout.Mode != CgroupMode.V1) yield return Join(layout.UnifiedMountPoint!, cgroupPath);
    }

    /// <summary>The file of a controller: the v1 file in that controller's hierarchy, or the v2 file on a v2 host.</summary>
    public static string ControlFile(CgroupLayout layout, string cgroupPath, string controller, string v1File, string v2File) =>
        layout.Mode == CgroupMode.V2
            ? Path.Join(Join(layout.UnifiedMountPoint!, cgroupPath), v2File)
            : Path.Join(Join(layout.FindV1(controller)!.MountPoint, cgroupPath), v1File);

    public static string Join(string mountPoint, string cgroupPath) => Path.Join(mountPoint, cgroupPath.TrimStart('/'));
}
