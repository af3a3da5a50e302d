using System.Globalization;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>The v2 cpu controller: cpu.weight (from OCI's v1 shares) and cpu.max.</summary>
internal static class CpuV2
{
    private const ulong DefaultPeriod = 100_000;

    public static bool IsRequested(LinuxCpu? cpu) =>
        cpu is not null && (cpu.Shares is not (null or 0) || cpu.Quota is not (null or 0) || cpu.Period is not (null or 0));

    public static void Set(CgroupDirectory dir, LinuxCpu cpu)
    {
        if (cpu.Shares is { } shares and not 0) dir.Write("cpu.weight", WeightOf(shares));
        if (cpu.Quota is not (null or 0) || cpu.Period is not (null or 0))
        {
            var quota = cpu.Quota is { } q and > 0 ? q.ToString(CultureInfo.InvariantCulture) : "max";
            var period = cpu.Period is { } p and not 0 ? p : DefaultPeriod;
            dir.Write("cpu.max", $"{quota} {period.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>runc's linear map of v1 shares [2, 262144] onto v2 weight [1, 10000]: 1 + (shares - 2) * 9999 / 262142.</summary>
    internal static ulong WeightOf(ulong shares)
    {
        var clamped = Math.Clamp(shares, 2UL, 262_144UL);
        return 1 + (clamped - 2) * 9999 / 262_142;
    }
}
