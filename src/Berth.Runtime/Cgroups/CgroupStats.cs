namespace Berth.Runtime.Cgroups;

/// <summary>
/// A cgroup's resource usage at one moment: what Docker's stats API reports. Times are nanoseconds, sizes bytes.
/// What the host cannot tell (a controller not mounted or not enabled, a file the kernel or the cgroup version lacks,
/// the cgroup gone) reads as zero, empty, or null for a limit.
/// </summary>
public sealed record CgroupStats
{
    public static CgroupStats Empty { get; } = new();

    public CgroupMemoryStats Memory { get; init; } = new();

    public CgroupCpuStats Cpu { get; init; } = new();

    public CgroupPidsStats Pids { get; init; } = new();

    /// <summary>Bytes moved per device (Docker's io_service_bytes_recursive): on v1 the entries of
    /// blkio.throttle.io_service_bytes_recursive as the file names them ("Read", "Write", "Sync", "Async", "Discard",
    /// "Total"); on v2 io.stat's rbytes and wbytes as "read" and "write", the names Docker gives them.</summary>
    public IReadOnlyList<CgroupBlkioEntry> IoServiceBytes { get; init; } = [];
}

public sealed record CgroupMemoryStats
{
    /// <summary>v1 memory.usage_in_bytes, v2 memory.current.</summary>
    public ulong Usage { get; init; }

    /// <summary>The high-water mark: v1 memory.max_usage_in_bytes, v2 memory.peak (kernel 5.19 and later, else 0).</summary>
    public ulong MaxUsage { get; init; }

    /// <summary>v1 memory.limit_in_bytes, v2 memory.max; null when unlimited (v2 "max", v1's page-rounded LONG_MAX)
    /// or unknown. Docker reports the host's memory then.</summary>
    public ulong? Limit { get; init; }

    /// <summary>How often the limit was hit: v1 memory.failcnt; v2 has no such file (0).</summary>
    public ulong Failcnt { get; init; }

    /// <summary>Processes the OOM killer killed in the cgroup: "oom_kill" of v1 memory.oom_control (kernel 4.13 and
    /// later) or of v2 memory.events.</summary>
    public ulong OomKills { get; init; }

    /// <summary>memory.stat, keys as the file spells them (v1 "cache", "rss", "total_inactive_file"…; v2 "anon",
    /// "file", "inactive_file"…).</summary>
    public IReadOnlyDictionary<string, ulong> Stat { get; init; } = new Dictionary<string, ulong>();
}

public sealed record CgroupCpuStats
{
    /// <summary>v1 cpuacct.usage, v2 cpu.stat usage_usec.</summary>
    public ulong TotalUsage { get; init; }

    /// <summary>Usage per CPU, from v1 cpuacct.usage_percpu; v2 has none (empty).</summary>
    public IReadOnlyList<ulong> PerCpuUsage { get; init; } = [];

    /// <summary>v1 cpuacct.stat "user" (USER_HZ ticks), v2 cpu.stat user_usec.</summary>
    public ulong UserUsage { get; init; }

    /// <summary>v1 cpuacct.stat "system" (USER_HZ ticks), v2 cpu.stat system_usec.</summary>
    public ulong SystemUsage { get; init; }

    /// <summary>CFS periods elapsed while a quota was set (cpu.stat nr_periods).</summary>
    public ulong Periods { get; init; }

    /// <summary>Periods in which the quota ran out (cpu.stat nr_throttled).</summary>
    public ulong ThrottledPeriods { get; init; }

    /// <summary>Time spent throttled: v1 cpu.stat throttled_time, v2 throttled_usec.</summary>
    public ulong ThrottledTime { get; init; }
}

public sealed record CgroupPidsStats
{
    /// <summary>pids.current: tasks (threads included) in the cgroup and its descendants.</summary>
    public ulong Current { get; init; }

    /// <summary>pids.max; null when "max" or unknown (Docker reports 0 then).</summary>
    public ulong? Limit { get; init; }
}

/// <summary>One counter of one block device, e.g. (8, 0, "Read", 4096).</summary>
public sealed record CgroupBlkioEntry(ulong Major, ulong Minor, string Op, ulong Value);
