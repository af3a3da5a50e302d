using Berth.Runtime.Cgroups;
using Berth.Testing;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>How each layout gets a spawned process into the cgroup: the spawning thread joins what it can ("0" to a v1
/// tasks file moves the writer alone), and the process is moved only where a thread cannot move alone (v2).</summary>
public sealed class ThreadJoinTests : IDisposable
{
    private const string CgroupPath = "/berth/x";
    private readonly RecordingCgroupFileSystem _fs = new();

    [Fact]
    public void On_v1_the_thread_joins_every_hierarchy_and_the_process_needs_no_move()
    {
        var manager = Manager(V1("memory") + V1("pids"));

        manager.JoinThread();
        manager.ApplySpawned(4242);

        Assert.Equal([(Tasks("memory"), "0"), (Tasks("pids"), "0")], _fs.Writes);
    }

    [Fact]
    public void On_a_hybrid_host_only_the_unified_hierarchy_moves_the_process()
    {
        var manager = Manager(V1("memory") + Unified("unified"));

        manager.JoinThread();
        manager.ApplySpawned(4242);

        Assert.Equal([(Tasks("memory"), "0"), (Procs("unified"), "4242")], _fs.Writes);
    }

    [Fact]
    public void On_v2_the_thread_stays_and_the_process_moves()
    {
        var manager = Manager(Unified("v2"));

        manager.JoinThread();
        manager.ApplySpawned(4242);

        Assert.Equal([(Procs("v2"), "4242")], _fs.Writes);
    }

    [SkippableFact]
    public void On_v2_the_join_warms_up_the_move_by_moving_this_process_where_it_is()
    {
        var own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::"))?[3..];
        Skip.If(own is null, "this host gives processes no cgroup v2 path");
        var manager = Manager(Unified("v2"));
        var procs = Path.Join(_fs.Root, "v2", own, "cgroup.procs");
        Directory.CreateDirectory(Path.GetDirectoryName(procs)!);
        File.WriteAllText(procs, $"1\n{Environment.ProcessId}\n");

        manager.JoinThread();

        // In the background: "0" is this process, already there; the kernel's grace period is what it is for.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.ReadAllText(procs) != "0" && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.Equal("0", File.ReadAllText(procs));
    }

    [SkippableFact]
    public void The_warm_up_leaves_a_cgroup_that_does_not_list_this_process_alone()
    {
        var own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::"))?[3..];
        Skip.If(own is null, "this host gives processes no cgroup v2 path");
        var manager = Manager(Unified("v2"));
        var procs = Path.Join(_fs.Root, "v2", own, "cgroup.procs");
        Directory.CreateDirectory(Path.GetDirectoryName(procs)!);
        File.WriteAllText(procs, "1\n");

        manager.JoinThread();
        Thread.Sleep(200);

        Assert.Equal("1\n", File.ReadAllText(procs));
    }

    public void Dispose() => _fs.Dispose();

    private ICgroupManager Manager(string mountInfo)
    {
        var manager = CgroupManagerFactory.Create(CgroupPath, CgroupLayout.Parse(mountInfo), _fs);
        foreach (var mount in Directory.GetDirectories(_fs.Root))
        {
            var dir = Path.Join(mount, CgroupPath);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Join(dir, "tasks"), "");
            File.WriteAllText(Path.Join(dir, "cgroup.procs"), "");
        }
        return manager;
    }

    private string V1(string controller)
    {
        Directory.CreateDirectory(Path.Join(_fs.Root, controller));
        return $"35 31 0:{controller.Length} / {_fs.Root}/{controller} rw - cgroup cgroup rw,{controller}\n";
    }

    private string Unified(string name)
    {
        Directory.CreateDirectory(Path.Join(_fs.Root, name));
        return $"30 23 0:99 / {_fs.Root}/{name} rw - cgroup2 cgroup2 rw\n";
    }

    private string Tasks(string mount) => Path.Join(_fs.Root, mount, CgroupPath, "tasks");

    private string Procs(string mount) => Path.Join(_fs.Root, mount, CgroupPath, "cgroup.procs");
}
