using Berth.Engine.Containers.Model;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// HostConfig.Resources → <c>linux.resources</c>, with Docker's create-time defaults (MemorySwap 0 with a memory
/// limit = twice the limit) and its validation messages (moby <c>verifyPlatformContainerResources</c>).
/// </summary>
public static class ResourceLimits
{
    public const long MinimumMemory = 6 * 1024 * 1024;
    public const ulong DefaultCfsPeriod = 100_000;

    /// <summary>Throws InvalidArgument with Docker's message for the first rule the resources break.</summary>
    public static void Validate(Resources r, int cpus)
    {
        static void Fail(string message) => throw new EngineException(ErrorKind.InvalidArgument, message);
        if (r.Memory != 0 && r.Memory < MinimumMemory) Fail("Minimum memory limit allowed is 6MB");
        if (r.Memory > 0 && r.MemorySwap > 0 && r.MemorySwap < r.Memory) Fail("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (r.Memory == 0 && r.MemorySwap > 0) Fail("You should always set the Memory limit when using Memoryswap limit, see usage");
        if (r.MemoryReservation > 0 && r.MemoryReservation < MinimumMemory) Fail("Minimum memory reservation allowed is 6MB");
        if (r.Memory > 0 && r.MemoryReservation > 0 && r.Memory < r.MemoryReservation)
            Fail("Minimum memory limit can not be less than memory reservation limit, see usage");
        if (r.NanoCpus > 0 && r.CpuPeriod > 0) Fail("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (r.NanoCpus > 0 && r.CpuQuota > 0) Fail("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (r.NanoCpus != 0 && (r.NanoCpus < 0 || r.NanoCpus > cpus * 1_000_000_000L))
            Fail($"range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available");
        if (r.CpuPeriod != 0 && (r.CpuPeriod < 1000 || r.CpuPeriod > 1_000_000))
            Fail("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        if (r.CpuQuota > 0 && r.CpuQuota < 1000) Fail("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        if (r.CpuShares < 0) Fail($"invalid CPU shares ({r.CpuShares}): value must be a positive integer");
        if (r.BlkioWeight > 0 && (r.BlkioWeight < 10 || r.BlkioWeight > 1000)) Fail("Range of blkio weight is from 10 to 1000");
        foreach (var d in r.BlkioWeightDevice)
            if (d.Weight is > 0 and (< 10 or > 1000)) Fail("Range of blkio weight is from 10 to 1000");
        foreach (var u in r.Ulimits) Ulimits.Validate(u);
    }

    /// <summary>
    /// The spec's resources; the device rules are set apart (<see cref="DeviceRules"/>). The blkio device limits name
    /// host paths: <paramref name="deviceNumber"/> gives their numbers, as moby stats them when it builds the spec.
    /// </summary>
    public static LinuxResources ToOci(Resources r, Func<string, (long Major, long Minor)> deviceNumber)
    {
        var swap = r.Memory > 0 && r.MemorySwap == 0 ? r.Memory * 2 : r.MemorySwap;
        var memory = new LinuxMemory
        {
            Limit = r.Memory > 0 ? r.Memory : null,
            Reservation = r.MemoryReservation > 0 ? r.MemoryReservation : null,
            Swap = swap > 0 ? swap : null,
            DisableOOMKiller = r.OomKillDisable,
        };
        return new LinuxResources
        {
            Memory = memory is { Limit: null, Reservation: null, Swap: null, DisableOOMKiller: null } ? null : memory,
            Cpu = Cpu(r),
            Pids = r.PidsLimit is { } pids ? new LinuxPids { Limit = pids <= 0 ? -1 : pids } : null,
            BlockIO = BlockIo(r, deviceNumber),
        };
    }

    private static LinuxBlockIo BlockIo(Resources r, Func<string, (long Major, long Minor)> deviceNumber)
    {
        List<LinuxThrottleDevice>? Throttles(IReadOnlyList<ThrottleDevice> devices) => devices.Count == 0 ? null : [.. devices.Select(d =>
        {
            var (major, minor) = deviceNumber(d.Path);
            return new LinuxThrottleDevice { Major = major, Minor = minor, Rate = d.Rate };
        })];
        return new LinuxBlockIo
        {
            Weight = r.BlkioWeight != 0 ? r.BlkioWeight : null,
            WeightDevice = r.BlkioWeightDevice.Count == 0 ? null : [.. r.BlkioWeightDevice.Select(d =>
            {
                var (major, minor) = deviceNumber(d.Path);
                return new LinuxWeightDevice { Major = major, Minor = minor, Weight = d.Weight };
            })],
            ThrottleReadBpsDevice = Throttles(r.BlkioDeviceReadBps),
            ThrottleWriteBpsDevice = Throttles(r.BlkioDeviceWriteBps),
            ThrottleReadIOPSDevice = Throttles(r.BlkioDeviceReadIOps),
            ThrottleWriteIOPSDevice = Throttles(r.BlkioDeviceWriteIOps),
        };
    }

    private static LinuxCpu? Cpu(Resources r)
    {
        var cpu = new LinuxCpu
        {
            Shares = r.CpuShares != 0 ? (ulong)r.CpuShares : null,
            Cpus = string.IsNullOrEmpty(r.CpusetCpus) ? null : r.CpusetCpus,
            Mems = string.IsNullOrEmpty(r.CpusetMems) ? null : r.CpusetMems,
        };
        if (r.NanoCpus > 0)
        {
            cpu.Period = DefaultCfsPeriod;
            cpu.Quota = r.NanoCpus * (long)DefaultCfsPeriod / 1_000_000_000L;
        }
        if (r.CpuPeriod != 0) cpu.Period = (ulong)r.CpuPeriod;
        if (r.CpuQuota != 0) cpu.Quota = r.CpuQuota;
        return cpu is { Shares: null, Cpus: null, Mems: null, Period: null, Quota: null } ? null : cpu;
    }
}
