using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups.V1;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>The v2 pids controller: pids.max, the same file and values as v1.</summary>
internal static class PidsV2
{
    public static void Set(CgroupDirectory dir, LinuxPids pids) => PidsV1.Set(dir, pids);
}
