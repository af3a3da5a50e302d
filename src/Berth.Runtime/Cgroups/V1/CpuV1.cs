using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>The v1 cpu controller: shares and the CFS bandwidth (quota per period).</summary>
internal static class CpuV1
{
    public const string Controller = "cpu";

    public static bool IsRequested(LinuxCpu? cpu) =>
        cpu is not null && (cpu.Shares is not (null or 0) || cpu.Quota is not (null or 0) || cpu.Period is not (null or 0));

    public static void Set(CgroupDirectory dir, LinuxCpu cpu)
    {
        if (cpu.Shares is { } shares and not 0)
        {
            dir.Write("cpu.shares", shares);
            // The kernel clamps out-of-range shares silently; read back so a clamped value is an error, not a surprise.
            var applied = (ulong)dir.ReadInt64("cpu.shares");
            if (applied < shares) throw new CgroupException($"the maximum allowed cpu-shares is {applied}");
            if (applied > shares) throw new CgroupException($"the minimum allowed cpu-shares is {applied}");
        }

        // A shorter period is refused (EINVAL) while old quota / new period exceeds the parent's bandwidth; when a
        // quota is coming too, write the quota and then retry the period.
        CgroupException? periodRefused = null;
        if (cpu.Period is { } period and not 0)
        {
            periodRefused = dir.TryWrite("cpu.cfs_period_us", period.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (periodRefused is not null && (periodRefused.Errno != Errno.EINVAL || cpu.Quota is null or 0))
                throw periodRefused;
        }
        if (cpu.Quota is { } quota and not 0)
        {
            dir.Write("cpu.cfs_quota_us", quota);
            if (periodRefused is not null) dir.Write("cpu.cfs_period_us", cpu.Period!.Value);
        }
    }
}
