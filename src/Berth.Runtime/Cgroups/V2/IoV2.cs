using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>
/// The v2 io controller: the weight in io.bfq.weight (same 10-1000 scale as v1) or else io.weight (1-10000), a
/// device's own weight, and the throttles as io.max lines (<c>major:minor rbps=N</c>, one key a line, as runc writes them).
/// </summary>
internal static class IoV2
{
    public static bool IsRequested(LinuxBlockIo? blockIo) => V1.BlkioV1.IsRequested(blockIo);

    public static void Set(CgroupDirectory dir, LinuxBlockIo blockIo)
    {
        if (blockIo.Weight is { } weight and not 0)
        {
            if (dir.Has("io.bfq.weight")) dir.Write("io.bfq.weight", weight);
            else dir.Write("io.weight", IoWeightOf(weight));
        }
        foreach (var device in blockIo.WeightDevice ?? [])
        {
            if (device.Weight is not { } deviceWeight || deviceWeight == 0) continue;
            if (dir.Has("io.bfq.weight")) dir.Write("io.bfq.weight", $"{device.Major}:{device.Minor} {deviceWeight}");
            else dir.Write("io.weight", $"{device.Major}:{device.Minor} {IoWeightOf(deviceWeight)}");
        }
        Max(dir, "rbps", blockIo.ThrottleReadBpsDevice);
        Max(dir, "wbps", blockIo.ThrottleWriteBpsDevice);
        Max(dir, "riops", blockIo.ThrottleReadIOPSDevice);
        Max(dir, "wiops", blockIo.ThrottleWriteIOPSDevice);
    }

    /// <summary>runc's linear map of the v1 blkio weight [10, 1000] onto io.weight [1, 10000].</summary>
    internal static ulong IoWeightOf(ushort blkioWeight)
    {
        var clamped = Math.Clamp((ulong)blkioWeight, 10UL, 1000UL);
        return 1 + (clamped - 10) * 9999 / 990;
    }

    private static void Max(CgroupDirectory dir, string key, List<LinuxThrottleDevice>? devices)
    {
        foreach (var device in devices ?? []) dir.Write("io.max", $"{device.Major}:{device.Minor} {key}={device.Rate}");
    }
}
