using Berth.Engine.Containers;
using Berth.Engine.Containers.Stats;
using W = Berth.Api.Models.Containers;

namespace Berth.Api.Server.Compat;

/// <summary>A stats reading as Docker's v1.44 stats JSON (cgroup v1 field names; the CLI computes percentages from them).</summary>
public static class StatsMapper
{
    public static W.ContainerStatsResponse ToWire(Container container, StatsReading reading)
    {
        var current = reading.Current;
        var memory = current.Cgroup.Memory;
        return new W.ContainerStatsResponse
        {
            Name = container.Name,
            Id = container.Id,
            Read = current.Read == DateTimeOffset.MinValue ? "0001-01-01T00:00:00Z" : ContainerMapper.Time(current.Read.UtcDateTime),
            PreRead = reading.Previous is { } p ? ContainerMapper.Time(p.Read.UtcDateTime) : "0001-01-01T00:00:00Z",
            PidsStats = new W.PidsStats { Current = current.Cgroup.Pids.Current, Limit = current.Cgroup.Pids.Limit ?? 0 },
            BlkioStats = new W.BlkioStats
            {
                IoServiceBytesRecursive = [.. current.Cgroup.IoServiceBytes.Select(e => new W.BlkioStatEntry { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value })],
            },
            CpuStats = Cpu(current),
            PreCpuStats = reading.Previous is { } previous ? Cpu(previous) : new W.CpuStats(),
            MemoryStats = new W.MemoryStats
            {
                Usage = memory.Usage,
                MaxUsage = memory.MaxUsage,
                Stats = new Dictionary<string, ulong>(memory.Stat),
                Failcnt = memory.Failcnt,
                Limit = memory.Limit ?? reading.HostMemory,
            },
            Networks = current.Networks.Count == 0 ? null : current.Networks.ToDictionary(n => n.Key, n => new W.NetworkStats
            {
                RxBytes = n.Value.RxBytes, RxPackets = n.Value.RxPackets, RxErrors = n.Value.RxErrors, RxDropped = n.Value.RxDropped,
                TxBytes = n.Value.TxBytes, TxPackets = n.Value.TxPackets, TxErrors = n.Value.TxErrors, TxDropped = n.Value.TxDropped,
            }),
        };
    }

    private static W.CpuStats Cpu(StatsSample sample) => new()
    {
        CpuUsage = new W.CpuUsage
        {
            TotalUsage = sample.Cgroup.Cpu.TotalUsage,
            PercpuUsage = sample.Cgroup.Cpu.PerCpuUsage.Count == 0 ? null : [.. sample.Cgroup.Cpu.PerCpuUsage],
            UsageInKernelmode = sample.Cgroup.Cpu.SystemUsage,
            UsageInUsermode = sample.Cgroup.Cpu.UserUsage,
        },
        SystemCpuUsage = sample.SystemCpuUsage,
        OnlineCpus = sample.OnlineCpus,
        ThrottlingData = new W.ThrottlingData
        {
            Periods = sample.Cgroup.Cpu.Periods, ThrottledPeriods = sample.Cgroup.Cpu.ThrottledPeriods, ThrottledTime = sample.Cgroup.Cpu.ThrottledTime,
        },
    };
}
