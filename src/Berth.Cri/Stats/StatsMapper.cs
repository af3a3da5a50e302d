using Berth.Cri.V1;
using Berth.Engine.Containers.Stats;

namespace Berth.Cri.Stats;

/// <summary>
/// The engine's stats samples as the CRI's usage messages, computed as containerd's CRI plugin does: the working set
/// is the usage less the inactive file pages, and <c>usage_nano_cores</c> the CPU time used per nanosecond since the
/// sample before.
/// </summary>
internal static class StatsMapper
{
    public static CpuUsage Cpu(StatsSample sample, StatsSample? previous)
    {
        var timestamp = Timestamp(sample);
        var usage = new CpuUsage { Timestamp = timestamp, UsageCoreNanoSeconds = new UInt64Value { Value = sample.Cgroup.Cpu.TotalUsage } };
        if (previous is not null && Timestamp(previous) is var before && timestamp > before
            && sample.Cgroup.Cpu.TotalUsage >= previous.Cgroup.Cpu.TotalUsage)
        {
            var used = (double)(sample.Cgroup.Cpu.TotalUsage - previous.Cgroup.Cpu.TotalUsage);
            usage.UsageNanoCores = new UInt64Value { Value = (ulong)(used / (timestamp - before) * 1e9) };
        }
        return usage;
    }

    public static MemoryUsage Memory(StatsSample sample)
    {
        var memory = sample.Cgroup.Memory;
        var inactiveFile = Stat(memory.Stat, "total_inactive_file", "inactive_file");
        var workingSet = memory.Usage > inactiveFile ? memory.Usage - inactiveFile : 0;
        var usage = new MemoryUsage
        {
            Timestamp = Timestamp(sample),
            WorkingSetBytes = new UInt64Value { Value = workingSet },
            UsageBytes = new UInt64Value { Value = memory.Usage },
            RssBytes = new UInt64Value { Value = Stat(memory.Stat, "total_rss", "anon") },
            PageFaults = new UInt64Value { Value = Stat(memory.Stat, "total_pgfault", "pgfault") },
            MajorPageFaults = new UInt64Value { Value = Stat(memory.Stat, "total_pgmajfault", "pgmajfault") },
        };
        if (memory.Limit is { } limit) usage.AvailableBytes = new UInt64Value { Value = limit > workingSet ? limit - workingSet : 0 };
        return usage;
    }

    /// <summary>The interfaces of the pod's namespace; <c>eth0</c>, the one CNI sets up, is the default.</summary>
    public static NetworkUsage Network(StatsSample sample)
    {
        var usage = new NetworkUsage { Timestamp = Timestamp(sample) };
        foreach (var (name, counters) in sample.Networks.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            var item = new NetworkInterfaceUsage
            {
                Name = name,
                RxBytes = new UInt64Value { Value = counters.RxBytes },
                RxErrors = new UInt64Value { Value = counters.RxErrors },
                TxBytes = new UInt64Value { Value = counters.TxBytes },
                TxErrors = new UInt64Value { Value = counters.TxErrors },
            };
            if (name == "eth0") usage.DefaultInterface = item;
            usage.Interfaces.Add(item);
        }
        return usage;
    }

    public static ProcessUsage Processes(long timestamp, ulong count) =>
        new() { Timestamp = timestamp, ProcessCount = new UInt64Value { Value = count } };

    /// <summary>The sample's time in nanoseconds; a container that is not running has none, so it is now.</summary>
    public static long Timestamp(StatsSample sample) =>
        sample.Read == DateTimeOffset.MinValue ? CriTime.Now() : CriTime.Nanoseconds(sample.Read.UtcDateTime);

    /// <summary>A memory.stat counter by its cgroup v1 name, else its v2 name.</summary>
    private static ulong Stat(IReadOnlyDictionary<string, ulong> stat, string v1, string v2) =>
        stat.TryGetValue(v1, out var value) ? value : stat.GetValueOrDefault(v2);
}
