using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Conformance.Cgroups;

/// <summary>GetStats: the counters Docker's stats shows, for a process that did some work in the cgroup.</summary>
public abstract partial class CgroupManagerConformance
{
    [ConformanceFact]
    public void GetStats_reports_the_usage_pids_and_limits_of_a_working_process()
    {
        var manager = NewManager();
        manager.Create();
        manager.Set(new LinuxResources { Memory = new LinuxMemory { Limit = 64 * MiB }, Pids = new LinuxPids { Limit = 42 } });
        var pid = host.StartProcess();
        manager.Apply(pid);

        host.Work(pid);
        var stats = manager.GetStats();

        Assert.True(stats.Memory.Usage > 0, "memory usage");
        Assert.NotEmpty(stats.Memory.Stat);
        Assert.Equal((ulong)(64 * MiB), stats.Memory.Limit);
        Assert.True(stats.Cpu.TotalUsage > 0, "cpu usage");
        Assert.Equal(new CgroupPidsStats { Current = 1, Limit = 42 }, stats.Pids);
        if (Layout.Mode != CgroupMode.V2)
        {
            Assert.True(stats.Memory.MaxUsage >= stats.Memory.Usage, "v1 max usage");
            // Not equal to the total: the shell may still run on its way back to read(2) between the two files' reads.
            Assert.True(stats.Cpu.PerCpuUsage.Aggregate((a, b) => a + b) > 0, "per-cpu usage");
        }
        else
        {
            Assert.Empty(stats.Cpu.PerCpuUsage);
        }
    }

    [ConformanceFact]
    public void Set_on_a_running_cgroup_changes_the_limits_GetStats_reports()
    {
        // docker update: new limits for a container whose process already holds memory.
        var manager = NewManager();
        manager.Create();
        manager.Set(new LinuxResources { Memory = new LinuxMemory { Limit = 64 * MiB }, Pids = new LinuxPids { Limit = 42 } });
        var pid = host.StartProcess();
        manager.Apply(pid);
        host.Work(pid);

        manager.Set(new LinuxResources { Memory = new LinuxMemory { Limit = 128 * MiB }, Pids = new LinuxPids { Limit = 0 } });
        var stats = manager.GetStats();

        Assert.Equal((ulong)(128 * MiB), stats.Memory.Limit);
        Assert.Equal(new CgroupPidsStats { Current = 1, Limit = null }, stats.Pids);
        Assert.True(stats.Memory.Usage > 0, "memory usage");
    }

    [ConformanceFact]
    public void GetStats_of_a_parent_counts_the_work_and_processes_of_its_children()
    {
        var parent = NewManager();
        var child = Factory(parent.Path + "/child");
        parent.Create();
        child.Create();
        var pid = host.StartProcess();
        child.Apply(pid);

        host.Work(pid);
        // The child first: its counters can only grow until the parent's are read, which include them.
        var childCpu = child.GetStats().Cpu.TotalUsage;
        var stats = parent.GetStats();

        Assert.Equal(1UL, stats.Pids.Current);
        Assert.True(stats.Memory.Usage > 0, "memory usage");
        Assert.True(childCpu > 0, "child cpu usage");
        Assert.True(stats.Cpu.TotalUsage >= childCpu, "parent cpu usage");
    }

    [ConformanceFact]
    public void GetStats_of_a_cgroup_without_limits_reports_no_limit()
    {
        var manager = NewManager();
        manager.Create();

        var stats = manager.GetStats();

        Assert.Null(stats.Memory.Limit);
        Assert.Equal(new CgroupPidsStats { Current = 0, Limit = null }, stats.Pids);
    }

    [ConformanceFact]
    public void GetStats_of_an_absent_cgroup_is_empty_not_an_error()
    {
        var manager = NewManager();
        manager.Create();
        manager.Destroy();

        var stats = manager.GetStats();

        Assert.Equal((0UL, 0UL, (ulong?)null), (stats.Memory.Usage, stats.Memory.MaxUsage, stats.Memory.Limit));
        Assert.Empty(stats.Memory.Stat);
        Assert.Equal((0UL, 0UL), (stats.Cpu.TotalUsage, stats.Cpu.Periods));
        Assert.Empty(stats.Cpu.PerCpuUsage);
        Assert.Equal(new CgroupPidsStats(), stats.Pids);
        Assert.Empty(stats.IoServiceBytes);
    }
}
