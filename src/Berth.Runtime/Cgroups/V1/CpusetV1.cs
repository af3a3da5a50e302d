using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>The v1 cpuset controller. A new v1 cpuset is empty (cpus and mems), and no process may join an empty one,
/// so every level is initialised from its parent when it is made.</summary>
internal static class CpusetV1
{
    public const string Controller = "cpuset";

    public static bool IsRequested(LinuxCpu? cpu) => !string.IsNullOrEmpty(cpu?.Cpus) || !string.IsNullOrEmpty(cpu?.Mems);

    public static void Set(CgroupDirectory dir, LinuxCpu cpu)
    {
        if (!string.IsNullOrEmpty(cpu.Cpus)) dir.Write("cpuset.cpus", cpu.Cpus);
        if (!string.IsNullOrEmpty(cpu.Mems)) dir.Write("cpuset.mems", cpu.Mems);
    }

    /// <summary>Copies cpus and mems down the levels (root first), into each level where they are empty.</summary>
    public static void InitializeFromParents(IReadOnlyList<CgroupDirectory> levels)
    {
        for (var i = 1; i < levels.Count; i++)
        {
            CopyIfEmpty(levels[i - 1], levels[i], "cpuset.cpus");
            CopyIfEmpty(levels[i - 1], levels[i], "cpuset.mems");
        }
    }

    private static void CopyIfEmpty(CgroupDirectory parent, CgroupDirectory child, string file)
    {
        if (child.Read(file).Trim().Length > 0) return;
        child.Write(file, parent.Read(file).Trim());
    }
}
