using System.Diagnostics;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Testing;
using Process = System.Diagnostics.Process;

namespace Berth.Privileged.Tests.Cgroups;

/// <summary>The cgroup manager against this machine's /sys/fs/cgroup (hybrid here, v2 on most hosts), with real
/// processes. Each test owns /berth-test/&lt;guid&gt; and removes it in every hierarchy.</summary>
public sealed class HostCgroupManagerTests : IDisposable
{
    private const string Parent = "/berth-test";
    private readonly CgroupLayout _layout;
    private readonly ICgroupManager _manager;
    private readonly List<Process> _processes = [];

    public HostCgroupManagerTests()
    {
        Privileges.RequireRoot();
        _layout = CgroupLayout.Detect();
        _manager = CgroupManagerFactory.Create(Parent + "/" + Guid.NewGuid().ToString("N"), _layout);
    }

    [PrivilegedFact]
    public void Detects_the_hosts_layout()
    {
        // Told apart by what /sys/fs/cgroup holds: a cgroup2 root has cgroup.controllers, systemd's hybrid has unified/.
        var expected = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? CgroupMode.V2
            : Directory.Exists("/sys/fs/cgroup/unified") ? CgroupMode.Hybrid
            : CgroupMode.V1;

        Assert.Equal(expected, _layout.Mode);
        if (expected == CgroupMode.Hybrid)
        {
            Assert.Equal("/sys/fs/cgroup/unified", _layout.UnifiedMountPoint);
            Assert.Equal("/sys/fs/cgroup/memory", _layout.FindV1("memory")!.MountPoint);
            Assert.Contains(_layout.V1Hierarchies, h => h.MountOptions == "name=systemd");
        }
    }

    [PrivilegedFact]
    public void A_memory_limit_reads_back_from_the_kernel()
    {
        _manager.Create();

        _manager.Set(new LinuxResources { Memory = new LinuxMemory { Limit = 48 * 1024 * 1024 } });

        Assert.Equal("50331648", Read(ControlFile("memory", "memory.limit_in_bytes", "memory.max")));
    }

    [PrivilegedFact]
    public void A_pids_limit_reads_back_from_the_kernel()
    {
        _manager.Create();

        _manager.Set(new LinuxResources { Pids = new LinuxPids { Limit = 17 } });

        Assert.Equal("17", Read(ControlFile("pids", "pids.max", "pids.max")));
    }

    [PrivilegedFact]
    public void Cpu_shares_read_back_from_the_kernel()
    {
        _manager.Create();

        _manager.Set(new LinuxResources { Cpu = new LinuxCpu { Shares = 256 } });

        // v2: cpu.weight = 1 + (256 - 2) * 9999 / 262142 = 10
        Assert.Equal(_layout.Mode == CgroupMode.V2 ? "10" : "256", Read(ControlFile("cpu", "cpu.shares", "cpu.weight")));
    }

    [PrivilegedFact]
    public void Freeze_stops_a_sleeping_process_and_thaw_resumes_it()
    {
        _manager.Create();
        var process = Start("sleep", "30");
        _manager.Apply(process.Id);
        Assert.Equal([process.Id], _manager.GetPids());

        _manager.Freeze();

        Assert.True(_manager.IsFrozen());
        Assert.Equal("FROZEN", KernelFreezerState());
        // The v1 freezer parks tasks uninterruptibly: the sleeping process shows "D"; v2's freezer keeps them "S".
        if (_layout.Mode != CgroupMode.V2) Assert.StartsWith("D", ProcStatusState(process.Id));

        _manager.Thaw();

        Assert.False(_manager.IsFrozen());
        Assert.Equal("THAWED", KernelFreezerState());
        Assert.StartsWith("S", StateEventually(process.Id, state => state.StartsWith('S')));
    }

    [PrivilegedFact]
    public void Device_rules_deny_what_they_do_not_allow()
    {
        _manager.Create();
        _manager.Set(new LinuxResources
        {
            Devices =
            [
                new LinuxDeviceCgroup { Allow = false, Access = "rwm" },
                new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
            ],
        });
        Skip.Unless(_manager.EnforcesDeviceRules, $"cgroup {_layout.Mode}: no hierarchy has the devices controller");

        // A shell joins the cgroup that enforces the rules (v1's devices, or the v2 one with its eBPF program), then may
        // use /dev/null (1:3) but not /dev/zero (1:5).
        var devicesV1 = _layout.FindV1("devices");
        var procs = Path.Join(Dir(devicesV1?.MountPoint ?? _layout.UnifiedMountPoint!), "cgroup.procs");
        var shell = Start("sh", "-c", $"echo $$ > {procs} && head -c 1 /dev/null && head -c 1 /dev/zero");
        shell.WaitForExit();

        if (devicesV1 is not null) Assert.Equal(["c 1:3 rwm"], Read(Path.Join(Dir(devicesV1.MountPoint), "devices.list")).Split('\n'));
        Assert.NotEqual(0, shell.ExitCode);
        Assert.Contains("Operation not permitted", shell.StandardError.ReadToEnd());
    }

    [PrivilegedFact]
    public void A_process_spawned_by_a_joined_thread_is_in_every_hierarchy()
    {
        _manager.Create();
        var pid = 0;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                _manager.JoinThread();
                pid = ProcessSpawner.Spawn(new SpawnRequest { Path = "/bin/sleep", Args = ["sleep", "30"], Env = [] });
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Null(error);
        try
        {
            _manager.ApplySpawned(pid);

            // Not Equal: until the kernel has finished the joined thread's exit, cgroup.procs lists this test process too.
            Assert.Contains(pid, _manager.GetPids());
            Assert.All(Directories(), dir => Assert.Contains(pid.ToString(), File.ReadAllLines(Path.Join(dir, "cgroup.procs"))));
        }
        finally
        {
            ProcessCalls.Kill(pid, Signals.SIGKILL);
            ProcessCalls.WaitPid(pid, out _);
        }
    }

    [PrivilegedFact]
    public void Destroy_after_the_process_is_killed_leaves_no_directory_in_any_hierarchy()
    {
        _manager.Create();
        var process = Start("sleep", "30");
        _manager.Apply(process.Id);
        var directories = Directories().ToList();
        Assert.All(directories, dir => Assert.True(Directory.Exists(dir), dir));
        if (_layout.Mode == CgroupMode.Hybrid) Assert.Contains(Dir(_layout.UnifiedMountPoint!), directories);

        process.Kill();
        _manager.Destroy();

        Assert.All(directories, dir => Assert.False(Directory.Exists(dir), dir));
    }

    public void Dispose()
    {
        try
        {
            // A frozen task cannot die: thaw what a failed test may have left frozen before killing.
            _manager.Thaw();
        }
        catch (CgroupException)
        {
            // Never created.
        }
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
            process.Dispose();
        }
        try
        {
            _manager.Destroy();
        }
        finally
        {
            foreach (var dir in Directories().Concat(Directories(Parent))) TryRmdir(dir);
        }
    }

    private static void TryRmdir(string dir)
    {
        try
        {
            Directory.Delete(dir);
        }
        catch (IOException)
        {
            // Gone already, or the shared parent is still used by another test (EBUSY).
        }
    }

    private Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        _processes.Add(process);
        return process;
    }

    private IEnumerable<string> Directories(string? cgroupPath = null)
    {
        cgroupPath ??= _manager.Path;
        if (_layout.Mode != CgroupMode.V2)
        {
            foreach (var hierarchy in _layout.V1Hierarchies) yield return Dir(hierarchy.MountPoint, cgroupPath);
        }
        if (_layout.UnifiedMountPoint is { } unified) yield return Dir(unified, cgroupPath);
    }

    private string Dir(string mountPoint, string? cgroupPath = null) =>
        Path.Join(mountPoint, (cgroupPath ?? _manager.Path).TrimStart('/'));

    private string ControlFile(string controller, string v1File, string v2File) =>
        _layout.Mode == CgroupMode.V2
            ? Path.Join(Dir(_layout.UnifiedMountPoint!), v2File)
            : Path.Join(Dir(_layout.FindV1(controller)!.MountPoint), v1File);

    /// <summary>"FROZEN"/"THAWED" from the kernel: v1 freezer.state, or v2 cgroup.events' frozen 1/0.</summary>
    private string KernelFreezerState()
    {
        if (_layout.Mode != CgroupMode.V2) return Read(ControlFile("freezer", "freezer.state", ""));
        var events = Read(Path.Join(Dir(_layout.UnifiedMountPoint!), "cgroup.events"));
        return events.Contains("frozen 1") ? "FROZEN" : "THAWED";
    }

    /// <summary>The process state once it satisfies the condition, or the last one seen after a bounded wait.</summary>
    private static string StateEventually(int pid, Func<string, bool> condition)
    {
        var state = ProcStatusState(pid);
        for (var i = 0; i < 200 && !condition(state); i++)
        {
            Thread.Sleep(10);
            state = ProcStatusState(pid);
        }
        return state;
    }

    private static string ProcStatusState(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("State:", StringComparison.Ordinal))["State:".Length..].Trim();

    private static string Read(string file) => File.ReadAllText(file).Trim();
}
