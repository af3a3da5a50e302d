using System.Globalization;

namespace Berth.Engine.Containers.Stats;

/// <summary>The host's CPU counters from /proc/stat.</summary>
internal static class HostCpu
{
    /// <summary>/proc/stat counts USER_HZ ticks, which is 100 on every Linux architecture.</summary>
    private const ulong NanosecondsPerTick = 10_000_000;

    /// <summary>
    /// The first line, "cpu  user nice system idle iowait irq softirq steal guest guest_nice", summed over its first
    /// seven counters as Docker does (steal is time the host did not give us; guest time is already inside user and
    /// nice); and the number of "cpuN" lines, one per online CPU.
    /// </summary>
    public static (ulong TotalNanoseconds, uint OnlineCpus) Parse(string procStat)
    {
        ulong ticks = 0;
        uint online = 0;
        foreach (var line in procStat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] != "cpu")
            {
                online++;
                continue;
            }
            foreach (var field in fields.Skip(1).Take(7))
                ticks += ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }
        return (ticks * NanosecondsPerTick, online);
    }
}
