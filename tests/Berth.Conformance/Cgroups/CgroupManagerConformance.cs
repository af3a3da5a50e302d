using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Testing;

namespace Berth.Conformance.Cgroups;

/// <summary>
/// What every <see cref="ICgroupManager"/> does, whatever the layout (v1, v2, hybrid) and whether cgroupfs is the
/// kernel's or emulated. Limits are checked by reading the control files back.
/// </summary>
public abstract partial class CgroupManagerConformance(ICgroupTestHost host) : IDisposable
{
    private const long MiB = 1024 * 1024;

    private CgroupLayout Layout => host.Layout;

    public void Dispose()
    {
        host.Dispose();
        GC.SuppressFinalize(this);
    }

    [ConformanceFact]
    public void Create_makes_the_cgroup_in_every_hierarchy()
    {
        var manager = NewManager();

        manager.Create();

        Assert.All(Directories(manager), dir => Assert.True(host.FileSystem.DirectoryExists(dir), dir));
    }

    [ConformanceFact]
    public void Create_again_keeps_the_cgroup_and_its_limits()
    {
        var manager = NewManager();
        manager.Create();
        manager.Set(new LinuxResources { Pids = new LinuxPids { Limit = 42 } });

        manager.Create();

        Assert.Equal("42", Read(PidsMax(manager)));
    }

    [ConformanceFact]
    public void A_relative_path_lands_under_the_hierarchy_root()
    {
        var path = host.NewCgroupPath();
        var manager = Factory(path.TrimStart('/'));

        manager.Create();

        Assert.Equal(path, manager.Path);
        Assert.All(CgroupTestPaths.DirectoriesOf(Layout, path), dir => Assert.True(host.FileSystem.DirectoryExists(dir), dir));
    }

    [ConformanceFact]
    public void A_systemd_path_is_refused()
    {
        var error = Assert.Throws<CgroupException>(() => Factory("system.slice:berth:abc"));

        Assert.Contains("systemd", error.Message);
    }

    [ConformanceFact]
    public void Apply_puts_the_process_in_every_hierarchy()
    {
        var manager = NewManager();
        manager.Create();
        var pid = host.StartProcess();

        manager.Apply(pid);

        Assert.Equal([pid], manager.GetPids());
        Assert.All(Directories(manager), dir => Assert.Contains(pid.ToString(), ReadLines(Path.Join(dir, "cgroup.procs"))));
    }

    [ConformanceFact]
    public void Apply_moves_the_process_out_of_its_previous_cgroup()
    {
        var first = NewManager();
        var second = NewManager();
        first.Create();
        second.Create();
        var pid = host.StartProcess();
        first.Apply(pid);

        second.Apply(pid);

        Assert.Empty(first.GetPids());
        Assert.Equal([pid], second.GetPids());
    }

    [ConformanceFact]
    public void GetPids_includes_the_processes_of_child_cgroups()
    {
        var parent = NewManager();
        var child = Factory(parent.Path + "/child");
        parent.Create();
        child.Create();
        var pid = host.StartProcess();

        child.Apply(pid);

        Assert.Equal([pid], parent.GetPids());
    }

    [ConformanceFact]
    public void Set_writes_the_memory_limit()
    {
        var manager = NewManager();
        manager.Create();

        manager.Set(new LinuxResources { Memory = new LinuxMemory { Limit = 64 * MiB } });
        Assert.Equal((64 * MiB).ToString(), Read(MemoryLimit(manager)));

        manager.Set(new LinuxResources { Memory = new LinuxMemory { Limit = -1 } });
        Assert.Equal(Layout.Mode == CgroupMode.V2 ? "max" : "9223372036854771712", Read(MemoryLimit(manager)));
    }

    [ConformanceFact]
    public void Set_grows_and_shrinks_memory_and_swap_together()
    {
        var manager = NewManager();
        manager.Create();

        foreach (var (limit, swap) in new[] { (64 * MiB, 128 * MiB), (256 * MiB, 512 * MiB), (32 * MiB, 64 * MiB) })
        {
            manager.Set(new LinuxResources { Memory = new LinuxMemory { Limit = limit, Swap = swap } });

            Assert.Equal(limit.ToString(), Read(MemoryLimit(manager)));
            Assert.Equal(Layout.Mode == CgroupMode.V2 ? (swap - limit).ToString() : swap.ToString(), Read(SwapLimit(manager)));
        }
    }

    [ConformanceFact]
    public void Set_writes_the_pids_limit_and_max_for_none()
    {
        var manager = NewManager();
        manager.Create();

        manager.Set(new LinuxResources { Pids = new LinuxPids { Limit = 42 } });
        Assert.Equal("42", Read(PidsMax(manager)));

        manager.Set(new LinuxResources { Pids = new LinuxPids { Limit = 0 } });
        Assert.Equal("max", Read(PidsMax(manager)));
    }

    [ConformanceFact]
    public void Set_writes_cpu_shares_as_v1_shares_or_v2_weight()
    {
        var manager = NewManager();
        manager.Create();

        manager.Set(new LinuxResources { Cpu = new LinuxCpu { Shares = 512 } });

        Assert.Equal(Layout.Mode == CgroupMode.V2 ? "20" : "512", Read(ControlFile(manager, "cpu", "cpu.shares", "cpu.weight")));
    }

    [ConformanceFact]
    public void Set_writes_the_cpu_quota_and_period()
    {
        var manager = NewManager();
        manager.Create();

        manager.Set(new LinuxResources { Cpu = new LinuxCpu { Quota = 50_000, Period = 200_000 } });

        if (Layout.Mode == CgroupMode.V2)
        {
            Assert.Equal("50000 200000", Read(ControlFile(manager, "cpu", "", "cpu.max")));
        }
        else
        {
            Assert.Equal("50000", Read(ControlFile(manager, "cpu", "cpu.cfs_quota_us", "")));
            Assert.Equal("200000", Read(ControlFile(manager, "cpu", "cpu.cfs_period_us", "")));
        }
    }

    [ConformanceFact]
    public void Create_gives_a_v1_cpuset_its_parents_cpus_so_processes_can_join()
    {
        var manager = NewManager();

        Skip.If(Layout.Mode == CgroupMode.V2, "v2 has no v1 cpuset to seed: cpuset.cpus is inherited");

        manager.Create();
        manager.Apply(host.StartProcess());

        var cpus = ControlFile(manager, "cpuset", "cpuset.cpus", "");
        Assert.NotEqual("", Read(cpus));
        Assert.Equal(Read(Path.Join(Layout.FindV1("cpuset")!.MountPoint, "cpuset.cpus")), Read(cpus));
    }

    [ConformanceFact]
    public void Set_writes_the_cpuset()
    {
        var manager = NewManager();
        manager.Create();

        manager.Set(new LinuxResources { Cpu = new LinuxCpu { Cpus = "0", Mems = "0" } });

        Assert.Equal("0", Read(ControlFile(manager, "cpuset", "cpuset.cpus", "cpuset.cpus")));
        Assert.Equal("0", Read(ControlFile(manager, "cpuset", "cpuset.mems", "cpuset.mems")));
    }

    [ConformanceFact]
    public void A_refused_value_fails_naming_the_file_and_the_value()
    {
        var manager = NewManager();
        manager.Create();

        var error = Assert.Throws<CgroupException>(() => manager.Set(new LinuxResources { Cpu = new LinuxCpu { Cpus = "9999" } }));

        var file = ControlFile(manager, "cpuset", "cpuset.cpus", "cpuset.cpus");
        Assert.StartsWith($"write {file} \"9999\": ", error.Message);
        Assert.NotNull(error.Errno);
    }

    [ConformanceFact]
    public void Device_rules_are_enforced_on_every_layout()
    {
        var manager = NewManager();
        manager.Create();
        var rules = new List<LinuxDeviceCgroup>
        {
            new() { Allow = false, Access = "rwm" },
            new() { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
        };

        manager.Set(new LinuxResources { Devices = rules });

        Assert.True(manager.EnforcesDeviceRules); // v1's devices controller, or v2's eBPF program
        if (Layout.Mode != CgroupMode.V2)
            Assert.Equal(["c 1:3 rwm"], ReadLines(ControlFile(manager, "devices", "devices.list", "")));
    }

    [ConformanceFact]
    public void The_unified_map_is_written_raw_to_the_v2_hierarchy()
    {
        var manager = NewManager();
        manager.Create();
        var resources = new LinuxResources { Unified = new() { ["cgroup.max.descendants"] = "5" } };

        if (Layout.Mode == CgroupMode.V1)
        {
            Assert.Throws<CgroupException>(() => manager.Set(resources));
            return;
        }
        manager.Set(resources);

        Assert.Equal("5", Read(Path.Join(CgroupTestPaths.Join(Layout.UnifiedMountPoint!, manager.Path), "cgroup.max.descendants")));
    }

    [ConformanceFact]
    public void Freeze_and_thaw_a_running_process()
    {
        var manager = NewManager();
        manager.Create();
        manager.Apply(host.StartProcess());
        Assert.False(manager.IsFrozen());

        manager.Freeze();
        Assert.True(manager.IsFrozen());

        manager.Thaw();
        Assert.False(manager.IsFrozen());
    }

    [ConformanceFact]
    public void Destroy_removes_the_cgroup_and_its_children_everywhere()
    {
        var manager = NewManager();
        var child = Factory(manager.Path + "/child");
        manager.Create();
        child.Create();

        manager.Destroy();

        Assert.All(Directories(manager), dir => Assert.False(host.FileSystem.DirectoryExists(dir), dir));
    }

    [ConformanceFact]
    public void Destroy_right_after_the_last_process_is_killed_succeeds()
    {
        var manager = NewManager();
        manager.Create();
        var pid = host.StartProcess();
        manager.Apply(pid);

        host.KillProcess(pid);
        manager.Destroy();

        Assert.All(Directories(manager), dir => Assert.False(host.FileSystem.DirectoryExists(dir), dir));
    }

    [ConformanceFact]
    public void Destroy_of_an_absent_cgroup_is_harmless()
    {
        var manager = NewManager();

        manager.Destroy();
        manager.Create();
        manager.Destroy();
        manager.Destroy();

        Assert.All(Directories(manager), dir => Assert.False(host.FileSystem.DirectoryExists(dir), dir));
    }

    [ConformanceFact]
    public void Destroy_refuses_while_a_process_remains()
    {
        var manager = NewManager();
        manager.Create();
        manager.Apply(host.StartProcess());

        var error = Assert.Throws<CgroupException>(manager.Destroy);

        Assert.Contains("rmdir", error.Message);
    }

    private ICgroupManager NewManager() => Factory(host.NewCgroupPath());

    private ICgroupManager Factory(string path) => CgroupManagerFactory.Create(path, Layout, host.FileSystem);

    private IEnumerable<string> Directories(ICgroupManager manager) => CgroupTestPaths.DirectoriesOf(Layout, manager.Path);

    private string ControlFile(ICgroupManager manager, string controller, string v1File, string v2File) =>
        CgroupTestPaths.ControlFile(Layout, manager.Path, controller, v1File, v2File);

    private string MemoryLimit(ICgroupManager m) => ControlFile(m, "memory", "memory.limit_in_bytes", "memory.max");

    private string SwapLimit(ICgroupManager m) => ControlFile(m, "memory", "memory.memsw.limit_in_bytes", "memory.swap.max");

    private string PidsMax(ICgroupManager m) => ControlFile(m, "pids", "pids.max", "pids.max");

    private string Read(string file) => host.FileSystem.ReadFile(file).Trim();

    private string[] ReadLines(string file) =>
        host.FileSystem.ReadFile(file).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class V1CgroupManagerConformance() : CgroupManagerConformance(new EmulatedCgroupTestHost(CgroupFsEmulator.V1()));

public sealed class V2CgroupManagerConformance() : CgroupManagerConformance(new EmulatedCgroupTestHost(CgroupFsEmulator.V2()));

public sealed class HybridCgroupManagerConformance() : CgroupManagerConformance(new EmulatedCgroupTestHost(CgroupFsEmulator.Hybrid()));

/// <summary>The same suite on this machine's kernel (hybrid here, v2 on most hosts).</summary>
[NeedsRoot]
public sealed class HostCgroupManagerConformance() : CgroupManagerConformance(new HostCgroupTestHost());
