using Berth.Runtime.Cgroups;

namespace Berth.Engine.Containers.Stats;

/// <summary>
/// One reading of a container's resource usage, the parts of Docker's stats that come from the kernel. Two samples
/// make the CPU percentage: Δ<see cref="CgroupStats.Cpu"/>.TotalUsage / Δ<see cref="SystemCpuUsage"/> × OnlineCpus.
/// </summary>
/// <param name="Read">When the sample was taken (UTC).</param>
/// <param name="Cgroup">The container's cgroup counters.</param>
/// <param name="SystemCpuUsage">The host's CPU time since boot, in nanoseconds, as Docker counts it (system_cpu_usage).</param>
/// <param name="OnlineCpus">CPUs online on the host.</param>
/// <param name="Networks">Counters of every interface in the container's network namespace but lo, by name; empty
/// when the container's init is gone.</param>
public sealed record StatsSample(
    DateTimeOffset Read,
    CgroupStats Cgroup,
    ulong SystemCpuUsage,
    uint OnlineCpus,
    IReadOnlyDictionary<string, NetworkInterfaceStats> Networks);

/// <summary>One interface's counters from /proc/&lt;pid&gt;/net/dev.</summary>
public sealed record NetworkInterfaceStats(
    ulong RxBytes, ulong RxPackets, ulong RxErrors, ulong RxDropped,
    ulong TxBytes, ulong TxPackets, ulong TxErrors, ulong TxDropped);
