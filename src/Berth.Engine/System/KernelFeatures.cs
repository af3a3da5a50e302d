using Berth.Runtime.Cgroups;

namespace Berth.Engine.System;

/// <summary>
/// What this host's cgroups can limit, found as moby's <c>pkg/sysinfo</c> finds it: on v1 and hybrid hosts by the
/// control files at the root of each controller's hierarchy; on v2 by the controllers the root cgroup offers its
/// children (<c>cgroup.controllers</c>). A limit the host cannot apply is discarded with Docker's warning
/// (<see cref="Containers.Oci.UnsupportedResources"/>) rather than failing the start.
/// </summary>
public sealed record KernelFeatures
{
    public bool MemoryLimit { get; init; } = true;
    public bool SwapLimit { get; init; } = true;
    public bool MemoryReservation { get; init; } = true;
    public bool PidsLimit { get; init; } = true;
    public bool CpuShares { get; init; } = true;
    public bool CpuCfsPeriod { get; init; } = true;
    public bool CpuCfsQuota { get; init; } = true;
    public bool Cpuset { get; init; } = true;

    /// <summary>v1: blkio.weight (CFQ) or blkio.bfq.weight (BFQ); v2: the io controller.</summary>
    public bool BlkioWeight { get; init; } = true;

    /// <summary>v1: blkio.weight_device or blkio.bfq.weight_device; v2: the io controller.</summary>
    public bool BlkioWeightDevice { get; init; } = true;

    /// <summary>v1: the four blkio.throttle.*_device files; v2: the io controller's io.max.</summary>
    public bool BlkioReadBpsDevice { get; init; } = true;
    public bool BlkioWriteBpsDevice { get; init; } = true;
    public bool BlkioReadIOpsDevice { get; init; } = true;
    public bool BlkioWriteIOpsDevice { get; init; } = true;

    /// <summary>v1 only (memory.oom_control); cgroup v2 has no switch to disable the OOM killer.</summary>
    public bool OomKillDisable { get; init; } = true;

    /// <summary>Every feature, for specs built for no particular host (tests).</summary>
    public static KernelFeatures All { get; } = new();

    public static KernelFeatures Read(CgroupLayout layout)
    {
        if (layout.Mode == CgroupMode.V2)
        {
            var controllers = Controllers(Path.Join(layout.UnifiedMountPoint!, "cgroup.controllers"));
            var memory = controllers.Contains("memory");
            var cpu = controllers.Contains("cpu");
            var io = controllers.Contains("io");
            return new KernelFeatures
            {
                MemoryLimit = memory, SwapLimit = memory, MemoryReservation = memory,
                PidsLimit = controllers.Contains("pids"),
                CpuShares = cpu, CpuCfsPeriod = cpu, CpuCfsQuota = cpu,
                Cpuset = controllers.Contains("cpuset"),
                BlkioWeight = io, BlkioWeightDevice = io,
                BlkioReadBpsDevice = io, BlkioWriteBpsDevice = io, BlkioReadIOpsDevice = io, BlkioWriteIOpsDevice = io,
                OomKillDisable = false,
            };
        }
        bool Has(string controller, params string[] anyOf) =>
            layout.FindV1(controller) is { } hierarchy && (anyOf.Length == 0 || anyOf.Any(file => File.Exists(Path.Join(hierarchy.MountPoint, file))));
        return new KernelFeatures
        {
            MemoryLimit = Has("memory"),
            SwapLimit = Has("memory", "memory.memsw.limit_in_bytes"),
            MemoryReservation = Has("memory", "memory.soft_limit_in_bytes"),
            PidsLimit = Has("pids"),
            CpuShares = Has("cpu", "cpu.shares"),
            CpuCfsPeriod = Has("cpu", "cpu.cfs_period_us"),
            CpuCfsQuota = Has("cpu", "cpu.cfs_quota_us"),
            Cpuset = Has("cpuset"),
            BlkioWeight = Has("blkio", "blkio.weight", "blkio.bfq.weight"),
            BlkioWeightDevice = Has("blkio", "blkio.weight_device", "blkio.bfq.weight_device"),
            BlkioReadBpsDevice = Has("blkio", "blkio.throttle.read_bps_device"),
            BlkioWriteBpsDevice = Has("blkio", "blkio.throttle.write_bps_device"),
            BlkioReadIOpsDevice = Has("blkio", "blkio.throttle.read_iops_device"),
            BlkioWriteIOpsDevice = Has("blkio", "blkio.throttle.write_iops_device"),
            OomKillDisable = Has("memory", "memory.oom_control"),
        };
    }

    /// <summary>What <c>docker info</c> warns about on this host, in Docker's words.</summary>
    public IReadOnlyList<string> Warnings(bool v2)
    {
        var warnings = new List<string>();
        if (!MemoryLimit) warnings.Add("WARNING: No memory limit support");
        if (!SwapLimit) warnings.Add("WARNING: No swap limit support");
        if (!CpuCfsQuota) warnings.Add("WARNING: No cpu cfs quota support");
        if (!CpuCfsPeriod) warnings.Add("WARNING: No cpu cfs period support");
        if (!CpuShares) warnings.Add(v2 ? "WARNING: No cpu weight support" : "WARNING: No cpu shares support");
        if (!Cpuset) warnings.Add("WARNING: No cpuset support");
        if (!BlkioWeight) warnings.Add(v2 ? "WARNING: No io.weight support" : "WARNING: No blkio weight support");
        return warnings;
    }

    private static HashSet<string> Controllers(string file) =>
        File.Exists(file) ? [.. File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
}
