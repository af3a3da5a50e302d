using Berth.Oci.Runtime;
using Berth.Testing;

namespace Berth.Privileged.Tests.Runtime;

/// <summary>Cgroup limits read back from inside the container, rlimits, OOM score.</summary>
public sealed class ResourceTests
{
    [PrivilegedFact]
    public void Cgroup_limits_are_read_back_inside_the_container()
    {
        string[] files = HostCgroups.IsV2
            ? ["memory.max", "memory.low", "pids.max", "cpu.weight", "cpu.max", "cpuset.cpus"]
            : ["memory/memory.limit_in_bytes", "memory/memory.soft_limit_in_bytes", "pids/pids.max", "cpu/cpu.shares", "cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us", "cpuset/cpuset.cpus"];
        using var bundle = new TestBundle().WithScript("cd /sys/fs/cgroup; cat " + string.Join(' ', files));
        bundle.Spec.Linux!.Resources = new LinuxResources
        {
            Devices = bundle.Spec.Linux.Resources!.Devices,
            Memory = new LinuxMemory { Limit = 64 << 20, Reservation = 32 << 20 },
            Pids = new LinuxPids { Limit = 42 },
            Cpu = new LinuxCpu { Shares = 512, Quota = 50_000, Period = 100_000, Cpus = "0" },
        };

        var lines = bundle.Run().EnsureSuccess("run").Output.Split('\n');

        // v2: cpu.weight = 1 + (512 - 2) * 9999 / 262142 = 20; memory.low is the reservation.
        string[] expected = HostCgroups.IsV2
            ? ["67108864", "33554432", "42", "20", "50000 100000", "0"]
            : ["67108864", "33554432", "42", "512", "50000", "100000", "0"];
        Assert.Equal(expected, lines);
    }

    [PrivilegedFact]
    public void Blkio_weight_is_read_back_inside_the_container()
    {
        var file = HostCgroups.BlkioWeightFile();
        Skip.If(file is null, $"this host's block I/O scheduler offers no weight (cgroup {HostCgroups.Mode}: no blkio.weight, blkio.bfq.weight, io.weight or io.bfq.weight)");
        using var bundle = new TestBundle().WithScript($"cat /sys/fs/cgroup/{file}");
        bundle.Spec.Linux!.Resources!.BlockIO = new LinuxBlockIo { Weight = 300 };

        var output = bundle.Run().EnsureSuccess("run").Output;

        // io.weight takes runc's map of 300 onto 1-10000 (2929); the others take 300 itself (BFQ's files say "default 300").
        Assert.Matches(file == "io.weight" ? "^default 2929$" : "^(default )?300$", output);
    }

    [PrivilegedFact]
    public void Pids_limit_stops_a_fork_bomb_at_the_limit()
    {
        // A subshell forks until the limit refuses (busybox sh then exits); the outer shell counts with builtins only:
        // itself and 3 sleeps remain (the subshell took the 5th slot and has exited).
        using var bundle = new TestBundle().WithScript(
            $"(i=0; while [ $i -lt 10 ]; do sleep 30 & i=$((i+1)); done) 2>/dev/null; status=$?; read n < {HostCgroups.ContainerFile("pids", "pids.current", "pids.current")}; echo $status $n");
        bundle.Spec.Linux!.Resources!.Pids = new LinuxPids { Limit = 5 };
        var fields = bundle.Run().EnsureSuccess("run").Output.Split(' ');
        Assert.NotEqual("0", fields[0]);
        Assert.Equal("4", fields[1]);
    }

    [PrivilegedFact]
    public void Rlimits_and_oom_score_adj_apply_to_the_process()
    {
        using var bundle = new TestBundle().WithScript("ulimit -n; ulimit -Hn; ulimit -c; cat /proc/self/oom_score_adj");
        bundle.Spec.Process!.Rlimits = [new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 777, Hard = 888 }, new PosixRlimit { Type = "RLIMIT_CORE", Soft = 0, Hard = 0 }];
        bundle.Spec.Process.OomScoreAdj = 500;
        Assert.Equal("777\n888\n0\n500", bundle.Run().EnsureSuccess("run").Output);
    }

    [PrivilegedFact]
    public void Container_cgroup_is_removed_on_delete()
    {
        using var bundle = new TestBundle().WithScript("true");
        bundle.Run().EnsureSuccess("run");
        Assert.Empty(HostCgroups.ExistingDirectories(bundle.Spec.Linux!.CgroupsPath!));
    }
}
