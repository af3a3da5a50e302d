using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>
/// The v1 blkio controller: the weight (blkio.weight under CFQ or, on kernels with BFQ only, blkio.bfq.weight), a
/// device's own weight, and the per-device throttles (<c>blkio.throttle.*_device</c>, one "major:minor rate" line a write).
/// </summary>
internal static class BlkioV1
{
    public const string Controller = "blkio";

    public static bool IsRequested(LinuxBlockIo? blockIo) =>
        blockIo is not null
        && (blockIo.Weight is not (null or 0) || blockIo.WeightDevice is { Count: > 0 } || blockIo.ThrottleReadBpsDevice is { Count: > 0 }
            || blockIo.ThrottleWriteBpsDevice is { Count: > 0 } || blockIo.ThrottleReadIOPSDevice is { Count: > 0 }
            || blockIo.ThrottleWriteIOPSDevice is { Count: > 0 });

    public static void Set(CgroupDirectory dir, LinuxBlockIo blockIo)
    {
        if (blockIo.Weight is { } weight and not 0) dir.Write(dir.Has("blkio.weight") ? "blkio.weight" : "blkio.bfq.weight", weight);
        foreach (var device in blockIo.WeightDevice ?? [])
        {
            if (device.Weight is not { } deviceWeight || deviceWeight == 0) continue;
            // BFQ's file takes the same "major:minor weight" line as CFQ's weight_device.
            dir.Write(dir.Has("blkio.weight_device") ? "blkio.weight_device" : "blkio.bfq.weight_device", $"{device.Major}:{device.Minor} {deviceWeight}");
        }
        Throttle(dir, "blkio.throttle.read_bps_device", blockIo.ThrottleReadBpsDevice);
        Throttle(dir, "blkio.throttle.write_bps_device", blockIo.ThrottleWriteBpsDevice);
        Throttle(dir, "blkio.throttle.read_iops_device", blockIo.ThrottleReadIOPSDevice);
        Throttle(dir, "blkio.throttle.write_iops_device", blockIo.ThrottleWriteIOPSDevice);
    }

    private static void Throttle(CgroupDirectory dir, string file, List<LinuxThrottleDevice>? devices)
    {
        foreach (var device in devices ?? []) dir.Write(file, $"{device.Major}:{device.Minor} {device.Rate}");
    }
}
