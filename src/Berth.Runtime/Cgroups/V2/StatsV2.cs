namespace Berth.Runtime.Cgroups.V2;

/// <summary>Usage as a cgroup2 directory reports it; a controller not enabled for the cgroup has no files (zeros).</summary>
internal static class StatsV2
{
    private const ulong NanosecondsPerMicrosecond = 1_000;

    public static CgroupStats Read(CgroupDirectory dir) => new()
    {
        Memory = Memory(dir),
        Cpu = Cpu(dir),
        Pids = new CgroupPidsStats
        {
            Current = CgroupStatFiles.Number(dir, "pids.current"),
            Limit = CgroupStatFiles.Limit(dir, "pids.max"),
        },
        IoServiceBytes = IoServiceBytes(dir),
    };

    private static CgroupMemoryStats Memory(CgroupDirectory dir) => new()
    {
        Usage = CgroupStatFiles.Number(dir, "memory.current"),
        MaxUsage = CgroupStatFiles.Number(dir, "memory.peak"),
        Limit = CgroupStatFiles.Limit(dir, "memory.max"),
        OomKills = CgroupStatFiles.KeyValues(dir, "memory.events").GetValueOrDefault("oom_kill"),
        Stat = CgroupStatFiles.KeyValues(dir, "memory.stat"),
    };

    /// <summary>cpu.stat's usage lines are there in every cgroup; the throttling ones only with the cpu controller.</summary>
    private static CgroupCpuStats Cpu(CgroupDirectory dir)
    {
        var stat = CgroupStatFiles.KeyValues(dir, "cpu.stat");
        return new CgroupCpuStats
        {
            TotalUsage = stat.GetValueOrDefault("usage_usec") * NanosecondsPerMicrosecond,
            UserUsage = stat.GetValueOrDefault("user_usec") * NanosecondsPerMicrosecond,
            SystemUsage = stat.GetValueOrDefault("system_usec") * NanosecondsPerMicrosecond,
            Periods = stat.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = stat.GetValueOrDefault("nr_throttled"),
            ThrottledTime = stat.GetValueOrDefault("throttled_usec") * NanosecondsPerMicrosecond,
        };
    }

    /// <summary>io.stat lines are "8:0 rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…"; Docker reports rbytes and
    /// wbytes as "read" and "write".</summary>
    private static IReadOnlyList<CgroupBlkioEntry> IoServiceBytes(CgroupDirectory dir)
    {
        var entries = new List<CgroupBlkioEntry>();
        foreach (var line in CgroupStatFiles.Lines(CgroupStatFiles.Read(dir, "io.stat")))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || CgroupStatFiles.Device(fields[0]) is not (var major, var minor)) continue;
            entries.Add(new CgroupBlkioEntry(major, minor, "read", Counter(fields, "rbytes=")));
            entries.Add(new CgroupBlkioEntry(major, minor, "write", Counter(fields, "wbytes=")));
        }
        return entries;
    }

    private static ulong Counter(string[] fields, string prefix) =>
        fields.FirstOrDefault(f => f.StartsWith(prefix, StringComparison.Ordinal)) is { } field
            ? CgroupStatFiles.Parse(field[prefix.Length..]) ?? 0
            : 0;
}
