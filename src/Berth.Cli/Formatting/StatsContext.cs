using System.Globalization;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// One <c>stats</c> row, computed as docker's CLI does on Linux: CPU % from the deltas against the previous
/// sample, memory without the inactive page cache, network and block I/O summed over interfaces and devices.
/// </summary>
internal sealed class StatsContext(ContainerStatsResponse stats, bool truncate) : ITemplateObject
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["ID"] = "CONTAINER ID", ["Container"] = "CONTAINER", ["Name"] = "NAME", ["CPUPerc"] = "CPU %", ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %", ["NetIO"] = "NET I/O", ["BlockIO"] = "BLOCK I/O", ["PIDs"] = "PIDS",
    });

    public IEnumerable<string> FieldNames => ["BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO", "PIDs"];

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => truncate ? Text.TruncateId(stats.Id) : stats.Id,
            "Container" => truncate ? Text.TruncateId(stats.Id) : stats.Id,
            "Name" => Text.StripSlash(stats.Name),
            "CPUPerc" => Percent(CpuPercent()),
            "MemUsage" => $"{Binary(MemoryUsage())} / {Binary(stats.MemoryStats.Limit)}",
            "MemPerc" => Percent(stats.MemoryStats.Limit == 0 ? 0 : MemoryUsage() / (double)stats.MemoryStats.Limit * 100),
            "NetIO" => $"{Decimal(Sum(n => n.RxBytes))} / {Decimal(Sum(n => n.TxBytes))}",
            "BlockIO" => $"{Decimal(Block('r'))} / {Decimal(Block('w'))}",
            "PIDs" => stats.PidsStats.Current.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        return value is not null;
    }

    private static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";
    private static string Decimal(double bytes) => HumanUnits.Size(bytes, 3);
    private static string Binary(double bytes) => Commands.System.InfoCommand.BinarySize(bytes);

    private double CpuPercent()
    {
        var cpuDelta = (double)stats.CpuStats.CpuUsage.TotalUsage - stats.PreCpuStats.CpuUsage.TotalUsage;
        var systemDelta = (double)stats.CpuStats.SystemCpuUsage - stats.PreCpuStats.SystemCpuUsage;
        double cpus = stats.CpuStats.OnlineCpus > 0 ? stats.CpuStats.OnlineCpus : stats.CpuStats.CpuUsage.PercpuUsage?.Count ?? 0;
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
    }

    /// <summary>cgroup v1 subtracts <c>total_inactive_file</c>, v2 <c>inactive_file</c>, when smaller than the usage.</summary>
    private double MemoryUsage()
    {
        var memory = stats.MemoryStats;
        var key = memory.Stats?.ContainsKey("total_inactive_file") == true ? "total_inactive_file" : "inactive_file";
        if (memory.Stats?.TryGetValue(key, out var inactive) == true && inactive < memory.Usage)
            return memory.Usage - inactive;
        return memory.Usage;
    }

    private double Sum(Func<NetworkStats, ulong> field) => stats.Networks?.Values.Sum(n => (double)field(n)) ?? 0;

    private double Block(char op) => stats.BlkioStats.IoServiceBytesRecursive?
        .Where(e => e.Op.Length > 0 && char.ToLowerInvariant(e.Op[0]) == op).Sum(e => (double)e.Value) ?? 0;
}
