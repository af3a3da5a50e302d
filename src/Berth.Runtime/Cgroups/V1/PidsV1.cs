using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>The pids controller's limit; the file is the same in v1 and v2.</summary>
internal static class PidsV1
{
    public const string Controller = "pids";

    /// <summary>pids.max: the limit, or "max" for a limit of 0 or less.</summary>
    public static void Set(CgroupDirectory dir, LinuxPids pids) =>
        dir.Write("pids.max", pids.Limit > 0 ? pids.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : "max");
}
