using Berth.Cri.Stats;
using Berth.Engine.Containers.Stats;
using Berth.Runtime.Cgroups;

namespace Berth.Cri.Tests;

public sealed class StatsMapperTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);

    private static StatsSample Sample(DateTimeOffset read, ulong cpu, ulong usage = 0, ulong? limit = null, Dictionary<string, ulong>? stat = null,
        Dictionary<string, NetworkInterfaceStats>? networks = null) =>
        new(read, new CgroupStats
        {
            Cpu = new CgroupCpuStats { TotalUsage = cpu },
            Memory = new CgroupMemoryStats { Usage = usage, Limit = limit, Stat = stat ?? [] },
        }, 0, 2, networks ?? []);

    [Fact]
    public void Nano_cores_are_the_cpu_time_used_per_second_since_the_sample_before()
    {
        var first = StatsMapper.Cpu(Sample(T0, 1_000_000_000), null);
        Assert.Equal(1_000_000_000UL, first.UsageCoreNanoSeconds.Value);
        Assert.Null(first.UsageNanoCores);

        var second = StatsMapper.Cpu(Sample(T0.AddSeconds(2), 2_000_000_000), Sample(T0, 1_000_000_000));
        Assert.Equal(500_000_000UL, second.UsageNanoCores.Value); // half a core
        Assert.Equal(1_796_698_802_000_000_000L, second.Timestamp);
    }

    [Fact]
    public void The_working_set_leaves_out_inactive_file_pages_on_v1_and_v2()
    {
        var v1 = StatsMapper.Memory(Sample(T0, 0, usage: 100, limit: 1000,
            stat: new() { ["total_inactive_file"] = 30, ["total_rss"] = 50, ["total_pgfault"] = 7, ["total_pgmajfault"] = 1 }));
        Assert.Equal((70UL, 100UL, 50UL, 7UL, 1UL, 930UL),
            (v1.WorkingSetBytes.Value, v1.UsageBytes.Value, v1.RssBytes.Value, v1.PageFaults.Value, v1.MajorPageFaults.Value, v1.AvailableBytes.Value));

        var v2 = StatsMapper.Memory(Sample(T0, 0, usage: 100, stat: new() { ["inactive_file"] = 40, ["anon"] = 20 }));
        Assert.Equal((60UL, 20UL), (v2.WorkingSetBytes.Value, v2.RssBytes.Value));
        Assert.Null(v2.AvailableBytes); // no limit
    }

    [Fact]
    public void Eth0_is_the_default_interface()
    {
        var counters = new NetworkInterfaceStats(10, 1, 2, 0, 20, 1, 3, 0);
        var network = StatsMapper.Network(Sample(T0, 0, networks: new() { ["eth0"] = counters, ["eth1"] = counters }));
        Assert.Equal("eth0", network.DefaultInterface.Name);
        Assert.Equal((10UL, 2UL, 20UL, 3UL), (network.DefaultInterface.RxBytes.Value, network.DefaultInterface.RxErrors.Value,
            network.DefaultInterface.TxBytes.Value, network.DefaultInterface.TxErrors.Value));
        Assert.Equal(["eth0", "eth1"], network.Interfaces.Select(i => i.Name));
    }
}
