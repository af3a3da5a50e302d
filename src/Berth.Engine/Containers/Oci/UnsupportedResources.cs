using Berth.Engine.Containers.Model;
using Berth.Engine.System;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// Limits the host's cgroups cannot apply are discarded with Docker's warning, as moby's
/// <c>verifyPlatformContainerResources</c> does: the container is created and starts without them (a CPU count
/// without CFS is refused, as Docker refuses it).
/// </summary>
public static class UnsupportedResources
{
    private const string NotSupported = "Your kernel does not support ";

    /// <summary>The resources less what <paramref name="host"/> cannot limit; a warning for each discarded one.</summary>
    public static Resources Discard(Resources r, KernelFeatures host, ICollection<string> warnings)
    {
        r = DiscardMemoryLimits(r, host, warnings);
        if (r.PidsLimit is not (null or 0) && !host.PidsLimit)
        {
            warnings.Add(NotSupported + "pids limit capabilities or the cgroup is not mounted. PIDs limit discarded.");
            r = r with { PidsLimit = null };
        }
        if (r.NanoCpus > 0 && (!host.CpuCfsPeriod || !host.CpuCfsQuota))
            throw new EngineException(ErrorKind.InvalidArgument,
                "NanoCPUs can not be set, as your kernel does not support CPU cfs period/quota or the cgroup is not mounted");
        if (r.CpuShares > 0 && !host.CpuShares)
        {
            warnings.Add(NotSupported + "CPU shares or the cgroup is not mounted. Shares discarded.");
            r = r with { CpuShares = 0 };
        }
        if (r.CpuPeriod > 0 && !host.CpuCfsPeriod)
        {
            warnings.Add(NotSupported + "CPU cfs period or the cgroup is not mounted. Period discarded.");
            r = r with { CpuPeriod = 0 };
        }
        if (r.CpuQuota > 0 && !host.CpuCfsQuota)
        {
            warnings.Add(NotSupported + "CPU cfs quota or the cgroup is not mounted. Quota discarded.");
            r = r with { CpuQuota = 0 };
        }
        if ((!string.IsNullOrEmpty(r.CpusetCpus) || !string.IsNullOrEmpty(r.CpusetMems)) && !host.Cpuset)
        {
            warnings.Add(NotSupported + "cpuset or the cgroup is not mounted. Cpuset discarded.");
            r = r with { CpusetCpus = "", CpusetMems = "" };
        }
        if (r.BlkioWeight > 0 && !host.BlkioWeight)
        {
            warnings.Add(NotSupported + "Block I/O weight or the cgroup is not mounted. Weight discarded.");
            r = r with { BlkioWeight = 0 };
        }
        return DiscardDeviceLimits(r, host, warnings);
    }

    private static Resources DiscardMemoryLimits(Resources r, KernelFeatures host, ICollection<string> warnings)
    {
        if (r.Memory > 0 && !host.MemoryLimit)
        {
            warnings.Add(NotSupported + "memory limit capabilities or the cgroup is not mounted. Limitation discarded.");
            r = r with { Memory = 0, MemorySwap = -1 };
        }
        if (r.Memory > 0 && r.MemorySwap != -1 && !host.SwapLimit)
        {
            warnings.Add(NotSupported + "swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            r = r with { MemorySwap = -1 };
        }
        if (r.MemoryReservation > 0 && !host.MemoryReservation)
        {
            warnings.Add(NotSupported + "memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.");
            r = r with { MemoryReservation = 0 };
        }
        if (r.OomKillDisable is { } disable && !host.OomKillDisable)
        {
            // Only a request to disable the killer is worth a warning: "enabled" is what the host does anyway.
            if (disable) warnings.Add(NotSupported + "OomKillDisable. OomKillDisable discarded.");
            r = r with { OomKillDisable = null };
        }
        if (r.OomKillDisable == true && r.Memory == 0)
            warnings.Add("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
        return r;
    }

    private static Resources DiscardDeviceLimits(Resources r, KernelFeatures host, ICollection<string> warnings)
    {
        const string NotMounted = " or the cgroup is not mounted. ";
        if (r.BlkioWeightDevice.Count > 0 && !host.BlkioWeightDevice)
        {
            warnings.Add(NotSupported + "Block I/O weight_device" + NotMounted + "Weight-device discarded.");
            r = r with { BlkioWeightDevice = [] };
        }
        if (r.BlkioDeviceReadBps.Count > 0 && !host.BlkioReadBpsDevice)
        {
            warnings.Add(NotSupported + "BPS Block I/O read limit" + NotMounted + "Block I/O BPS read limit discarded.");
            r = r with { BlkioDeviceReadBps = [] };
        }
        if (r.BlkioDeviceWriteBps.Count > 0 && !host.BlkioWriteBpsDevice)
        {
            warnings.Add(NotSupported + "BPS Block I/O write limit" + NotMounted + "Block I/O BPS write limit discarded.");
            r = r with { BlkioDeviceWriteBps = [] };
        }
        if (r.BlkioDeviceReadIOps.Count > 0 && !host.BlkioReadIOpsDevice)
        {
            warnings.Add(NotSupported + "IOPS Block read limit" + NotMounted + "Block I/O IOPS read limit discarded.");
            r = r with { BlkioDeviceReadIOps = [] };
        }
        if (r.BlkioDeviceWriteIOps.Count > 0 && !host.BlkioWriteIOpsDevice)
        {
            warnings.Add(NotSupported + "IOPS Block write limit" + NotMounted + "Block I/O IOPS write limit discarded.");
            r = r with { BlkioDeviceWriteIOps = [] };
        }
        return r;
    }
}
