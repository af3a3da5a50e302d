using Berth.Engine.Containers.Stats;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Tests.Containers.Stats;

/// <summary>A container's stats sample, read from a fake /proc and a fake cgroupfs (files as the kernel writes them).</summary>
public sealed class ContainerStatsReaderTests : IDisposable
{
    private const string Cgroup = "/berth/abc";
    private const int InitPid = 4242;
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _root = Directory.CreateTempSubdirectory("berth-stats-").FullName;

    public ContainerStatsReaderTests()
    {
        Write("proc/stat", """
            cpu  1152647 3 134835 766830 2775 1 2094 5694 0 0
            cpu0 561091 1 62435 404678 576 0 739 2886 0 0
            cpu1 591555 2 72400 362152 2199 1 1354 2807 0 0
            intr 1 2 3
            ctxt 99
            """);
        Write($"proc/{InitPid}/net/dev", """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     700       7    0    0    0     0          0         0      700       7    0    0    0     0       0          0
              eth0:12345678901   21    1    2    0     0          0         0     5000      30    3    4    0     0       0          0
            """);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_hybrid_host_reads_every_counter_from_its_v1_controller()
    {
        var layout = Mount(
            ("cgroup", "memory"), ("cgroup", "cpu"), ("cgroup", "cpuacct"), ("cgroup", "pids"), ("cgroup", "blkio"),
            ("cgroup2", "unified"));
        WriteCgroup("memory", new()
        {
            ["memory.usage_in_bytes"] = "10485760",
            ["memory.max_usage_in_bytes"] = "20971520",
            ["memory.limit_in_bytes"] = "67108864",
            ["memory.failcnt"] = "3",
            ["memory.stat"] = "cache 4096\nrss 8192\ntotal_inactive_file 1024\nhierarchical_memory_limit 67108864\n",
        });
        WriteCgroup("cpu", new() { ["cpu.stat"] = "nr_periods 10\nnr_throttled 4\nthrottled_time 5000000\nnr_bursts 0\nburst_time 0\n" });
        WriteCgroup("cpuacct", new()
        {
            ["cpuacct.usage"] = "3000000000",
            ["cpuacct.usage_percpu"] = "1000000000 2000000000 \n",
            ["cpuacct.stat"] = "user 250\nsystem 50\n",
        });
        WriteCgroup("pids", new() { ["pids.current"] = "3", ["pids.max"] = "100" });
        WriteCgroup("blkio", new()
        {
            ["blkio.throttle.io_service_bytes_recursive"] =
                "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n",
        });
        // The controller-less cgroup2 of a hybrid host has core files of its own; they are not the container's counters.
        WriteCgroup("unified", new() { ["cpu.stat"] = "usage_usec 999\nuser_usec 999\nsystem_usec 999\n" });

        var sample = Reader(layout).Read(Cgroup, InitPid);

        Assert.Equal(Now, sample.Read);
        var memory = sample.Cgroup.Memory;
        Assert.Equal((10485760UL, 20971520UL, (ulong?)67108864, 3UL), (memory.Usage, memory.MaxUsage, memory.Limit, memory.Failcnt));
        Assert.Equal(4096UL, memory.Stat["cache"]);
        Assert.Equal(1024UL, memory.Stat["total_inactive_file"]);
        Assert.Equal(4, memory.Stat.Count);
        var cpu = sample.Cgroup.Cpu;
        Assert.Equal(3_000_000_000UL, cpu.TotalUsage);
        Assert.Equal([1_000_000_000UL, 2_000_000_000UL], cpu.PerCpuUsage);
        Assert.Equal(2_500_000_000UL, cpu.UserUsage);
        Assert.Equal(500_000_000UL, cpu.SystemUsage);
        Assert.Equal((10UL, 4UL, 5_000_000UL), (cpu.Periods, cpu.ThrottledPeriods, cpu.ThrottledTime));
        Assert.Equal(new CgroupPidsStats { Current = 3, Limit = 100 }, sample.Cgroup.Pids);
        Assert.Equal(
            [new(8, 0, "Read", 4096), new(8, 0, "Write", 8192), new(8, 0, "Sync", 0), new(8, 0, "Async", 12288),
             new(8, 0, "Discard", 0), new CgroupBlkioEntry(8, 0, "Total", 12288)],
            sample.Cgroup.IoServiceBytes);
    }

    [Fact]
    public void A_v1_host_with_cpu_and_cpuacct_in_one_hierarchy_and_no_limits_reports_them_unlimited()
    {
        var layout = Mount(("cgroup", "memory"), ("cgroup", "cpu,cpuacct"), ("cgroup", "pids"));
        WriteCgroup("memory", new() { ["memory.usage_in_bytes"] = "4096", ["memory.limit_in_bytes"] = "9223372036854771712" });
        WriteCgroup("cpu,cpuacct", new() { ["cpuacct.usage"] = "77", ["cpu.stat"] = "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n" });
        WriteCgroup("pids", new() { ["pids.current"] = "1", ["pids.max"] = "max" });

        var stats = Reader(layout).Read(Cgroup, InitPid).Cgroup;

        Assert.Equal(4096UL, stats.Memory.Usage);
        Assert.Null(stats.Memory.Limit);
        Assert.Equal(77UL, stats.Cpu.TotalUsage);
        Assert.Null(stats.Pids.Limit);
        Assert.Empty(stats.IoServiceBytes); // blkio not mounted
    }

    [Fact]
    public void A_v2_host_reads_the_unified_files_in_nanoseconds_and_docker_op_names()
    {
        var layout = Mount(("cgroup2", ""));
        WriteCgroup("", new()
        {
            ["memory.current"] = "10485760",
            ["memory.peak"] = "20971520",
            ["memory.max"] = "67108864",
            ["memory.stat"] = "anon 8192\nfile 4096\ninactive_file 1024\n",
            ["cpu.stat"] = "usage_usec 3000000\nuser_usec 2500000\nsystem_usec 500000\nnr_periods 10\nnr_throttled 4\nthrottled_usec 5000\n",
            ["pids.current"] = "2",
            ["pids.max"] = "50",
            ["io.stat"] = "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=10 wbytes=20 rios=1 wios=1 dbytes=0 dios=0\n",
        });

        var stats = Reader(layout).Read(Cgroup, InitPid).Cgroup;

        Assert.Equal((10485760UL, 20971520UL, (ulong?)67108864, 0UL), (stats.Memory.Usage, stats.Memory.MaxUsage, stats.Memory.Limit, stats.Memory.Failcnt));
        Assert.Equal(new Dictionary<string, ulong> { ["anon"] = 8192, ["file"] = 4096, ["inactive_file"] = 1024 }, stats.Memory.Stat);
        Assert.Equal((3_000_000_000UL, 2_500_000_000UL, 500_000_000UL), (stats.Cpu.TotalUsage, stats.Cpu.UserUsage, stats.Cpu.SystemUsage));
        Assert.Empty(stats.Cpu.PerCpuUsage);
        Assert.Equal((10UL, 4UL, 5_000_000UL), (stats.Cpu.Periods, stats.Cpu.ThrottledPeriods, stats.Cpu.ThrottledTime));
        Assert.Equal(new CgroupPidsStats { Current = 2, Limit = 50 }, stats.Pids);
        Assert.Equal(
            [new(8, 0, "read", 4096), new(8, 0, "write", 8192), new(253, 1, "read", 10), new CgroupBlkioEntry(253, 1, "write", 20)],
            stats.IoServiceBytes);
    }

    [Fact]
    public void A_v2_cgroup_without_controllers_or_memory_peak_reports_what_it_has()
    {
        var layout = Mount(("cgroup2", ""));
        WriteCgroup("", new()
        {
            ["cpu.stat"] = "usage_usec 12\nuser_usec 10\nsystem_usec 2\n",
            ["memory.max"] = "max",
            ["pids.max"] = "max",
        });

        var stats = Reader(layout).Read(Cgroup, InitPid).Cgroup;

        Assert.Equal(12_000UL, stats.Cpu.TotalUsage);
        Assert.Equal(0UL, stats.Cpu.Periods);
        Assert.Equal(0UL, stats.Memory.MaxUsage);
        Assert.Null(stats.Memory.Limit);
        Assert.Empty(stats.Memory.Stat);
        Assert.Equal(new CgroupPidsStats { Current = 0, Limit = null }, stats.Pids);
        Assert.Empty(stats.IoServiceBytes);
    }

    [Theory]
    [InlineData("cgroup")]
    [InlineData("cgroup2")]
    public void A_removed_cgroup_and_an_exited_init_read_as_zeros_not_errors(string fsType)
    {
        var layout = fsType == "cgroup" ? Mount(("cgroup", "memory"), ("cgroup", "cpu,cpuacct"), ("cgroup", "pids")) : Mount(("cgroup2", ""));

        var sample = Reader(layout).Read(Cgroup, initPid: 99999);

        var stats = sample.Cgroup;
        Assert.Equal((0UL, 0UL, (ulong?)null), (stats.Memory.Usage, stats.Memory.MaxUsage, stats.Memory.Limit));
        Assert.Empty(stats.Memory.Stat);
        Assert.Equal((0UL, 0UL, 0UL), (stats.Cpu.TotalUsage, stats.Cpu.UserUsage, stats.Cpu.Periods));
        Assert.Empty(stats.Cpu.PerCpuUsage);
        Assert.Equal(new CgroupPidsStats(), stats.Pids);
        Assert.Empty(stats.IoServiceBytes);
        Assert.Empty(sample.Networks);
    }

    [Fact]
    public void The_host_cpu_time_is_docker_system_cpu_usage_and_cpuN_lines_are_the_online_cpus()
    {
        var sample = Reader(Mount(("cgroup2", ""))).Read(Cgroup, InitPid);

        // user+nice+system+idle+iowait+irq+softirq; steal and guest are not counted, as in Docker.
        const ulong ticks = 1152647 + 3 + 134835 + 766830 + 2775 + 1 + 2094;
        Assert.Equal(ticks * 10_000_000, sample.SystemCpuUsage);
        Assert.Equal(2u, sample.OnlineCpus);
    }

    [Fact]
    public void Networks_are_every_interface_but_lo_even_when_a_counter_touches_the_colon()
    {
        var sample = Reader(Mount(("cgroup2", ""))).Read(Cgroup, InitPid);

        var eth0 = Assert.Single(sample.Networks, n => n.Key == "eth0").Value;
        Assert.Equal(new NetworkInterfaceStats(12345678901, 21, 1, 2, 5000, 30, 3, 4), eth0);
        Assert.DoesNotContain("lo", sample.Networks.Keys);
    }

    private ContainerStatsReader Reader(CgroupLayout layout) =>
        new(layout, Path.Combine(_root, "proc"), new FixedTime(Now));

    /// <summary>Mounts (fs type, directory under fs/) as a mountinfo table names them; "" is fs/ itself.</summary>
    private CgroupLayout Mount(params (string FsType, string Dir)[] mounts)
    {
        var lines = mounts.Select((m, i) =>
        {
            var mountPoint = Path.Combine(_root, "fs", m.Dir).TrimEnd('/');
            Directory.CreateDirectory(mountPoint);
            var options = m.FsType == "cgroup2" ? "rw" : "rw," + m.Dir;
            return $"{30 + i} 25 0:{30 + i} / {mountPoint} rw,nosuid - {m.FsType} cgroup {options}";
        });
        return CgroupLayout.Parse(string.Join('\n', lines));
    }

    private void WriteCgroup(string hierarchy, Dictionary<string, string> files)
    {
        foreach (var (name, content) in files) Write(Path.Join("fs", hierarchy, Cgroup, name), content);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
