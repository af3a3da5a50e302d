using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>The v2 cpuset controller (an empty v2 cpuset inherits its parent's, so nothing is copied down).</summary>
internal static class CpusetV2
{
    public static bool IsRequested(LinuxCpu? cpu) => !string.IsNullOrEmpty(cpu?.Cpus) || !string.IsNullOrEmpty(cpu?.Mems);

    public static void Set(CgroupDirectory dir, LinuxCpu cpu)
    {
        if (!string.IsNullOrEmpty(cpu.Cpus)) dir.Write("cpuset.cpus", cpu.Cpus);
        if (!string.IsNullOrEmpty(cpu.Mems)) dir.Write("cpuset.mems", cpu.Mems);
    }
}
