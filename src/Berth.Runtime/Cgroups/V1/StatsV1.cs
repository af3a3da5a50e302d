namespace Berth.Runtime.Cgroups.V1;

/// <summary>Usage as the v1 controllers report it, each from its own hierarchy (null when it is not mounted).</summary>
internal static class StatsV1
{
    public const string CpuacctController = "cpuacct";

    /// <summary>cpuacct.stat counts USER_HZ ticks, which is 100 on every Linux architecture.</summary>
    private const ulong NanosecondsPerTick = 10_000_000;

    public static CgroupMemoryStats Memory(CgroupDirectory? dir) => new()
    {
        Usage = CgroupStatFiles.Number(dir, "memory.usage_in_bytes"),
        MaxUsage = CgroupStatFiles.Number(dir, "memory.max_usage_in_bytes"),
        Limit = CgroupStatFiles.Limit(dir, "memory.limit_in_bytes"),
        Failcnt = CgroupStatFiles.Number(dir, "memory.failcnt"),
        OomKills = CgroupStatFiles.KeyValues(dir, "memory.oom_control").GetValueOrDefault("oom_kill"),
        Stat = CgroupStatFiles.KeyValues(dir, "memory.stat"),
    };

    /// <summary>Usage from cpuacct, throttling from cpu (separate hierarchies on some hosts, one "cpu,cpuacct" on others).</summary>
    public static CgroupCpuStats Cpu(CgroupDirectory? cpu, CgroupDirectory? cpuacct)
    {
        var ticks = CgroupStatFiles.KeyValues(cpuacct, "cpuacct.stat");
        var throttling = CgroupStatFiles.KeyValues(cpu, "cpu.stat");
        return new CgroupCpuStats
        {
            TotalUsage = CgroupStatFiles.Number(cpuacct, "cpuacct.usage"),
            PerCpuUsage = CgroupStatFiles.Numbers(cpuacct, "cpuacct.usage_percpu"),
            UserUsage = ticks.GetValueOrDefault("user") * NanosecondsPerTick,
            SystemUsage = ticks.GetValueOrDefault("system") * NanosecondsPerTick,
            Periods = throttling.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = throttling.GetValueOrDefault("nr_throttled"),
            ThrottledTime = throttling.GetValueOrDefault("throttled_time"),
        };
    }

    public static CgroupPidsStats Pids(CgroupDirectory? dir) => new()
    {
        Current = CgroupStatFiles.Number(dir, "pids.current"),
        Limit = CgroupStatFiles.Limit(dir, "pids.max"),
    };

    /// <summary>
    /// The throttle files count every bio whatever the I/O scheduler (the CFQ/BFQ ones exist only under that
    /// scheduler); kernels before 4.x lack the _recursive one. Lines are "8:0 Read 4096"; the closing "Total N"
    /// (all devices) is not an entry.
    /// </summary>
    public static IReadOnlyList<CgroupBlkioEntry> IoServiceBytes(CgroupDirectory? dir)
    {
        var text = CgroupStatFiles.Read(dir, "blkio.throttle.io_service_bytes_recursive")
            ?? CgroupStatFiles.Read(dir, "blkio.throttle.io_service_bytes");
        var entries = new List<CgroupBlkioEntry>();
        foreach (var line in CgroupStatFiles.Lines(text))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && CgroupStatFiles.Device(fields[0]) is (var major, var minor)
                && CgroupStatFiles.Parse(fields[2]) is { } value)
                entries.Add(new CgroupBlkioEntry(major, minor, fields[1], value));
        }
        return entries;
    }
}
