using System.Diagnostics;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Fault injection: a container's shim or berthd itself killed with SIGKILL at chosen points. Afterwards nothing runs
/// that the daemon does not know of: no container process, shim, cgroup, runtime state or socket is left behind.
/// </summary>
public sealed class CrashTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public CrashTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    [PrivilegedFact]
    public void A_killed_shim_takes_its_container_with_it()
    {
        var id = Docker("run", "-d", "--name", "orphan", "busybox", "sleep", "300").Ok("run -d").Output;
        var pid = int.Parse(Docker("inspect", "-f", "{{.State.Pid}}", "orphan").Output);
        var cgroups = HostProcesses.CgroupDirectories(pid);
        Assert.NotEmpty(cgroups);
        var shim = Assert.Single(HostProcesses.ShimPids(id));

        Process.GetProcessById(shim).Kill();

        Wait.Until(() => Docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "orphan").Output == "exited 255", "exit recorded");
        Wait.Until(() => !HostProcesses.IsAlive(pid), "container process gone");
        Assert.All(cgroups, c => Assert.False(Directory.Exists(c), $"{c} is left"));
        Assert.False(Directory.Exists(Path.Combine(_daemon.ExecRoot, "runtime", id)), "runtime state is left");
        Assert.Empty(Directory.GetFiles(Path.Combine(_daemon.ExecRoot, "shims")));

        Docker("start", "orphan").Ok("start again");
        Assert.Equal("running", Docker("inspect", "-f", "{{.State.Status}}", "orphan").Output);
        Docker("rm", "-f", "orphan").Ok("rm -f");
        Assert.Empty(HostProcesses.ShimPids(id));
    }

    [PrivilegedFact]
    public void A_daemon_killed_during_start_leaves_nothing_the_next_one_does_not_reconcile()
    {
        // The window between the shim's launch and the recorded start is a few milliseconds: aim at it from
        // several delays; every outcome must leave a consistent state.
        for (var round = 0; round < 8; round++)
        {
            var name = $"midstart{round}";
            var id = Docker("create", "--name", name, "busybox", "sleep", "300").Ok("create").Output;
            using var start = Process.Start(new ProcessStartInfo("docker", ["-H", _daemon.Host, "start", name])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            Thread.Sleep(5 + round * 6);
            _daemon.Restart();
            start.WaitForExit(10_000);

            var status = Docker("inspect", "-f", "{{.State.Status}}", name).Ok("inspect").Output;
            if (status == "running")
            {
                Assert.Single(HostProcesses.ShimPids(id));
            }
            else
            {
                Wait.Until(() => HostProcesses.ShimPids(id).Count == 0, $"round {round}: leftover shim gone");
                Assert.False(Directory.Exists(Path.Combine(_daemon.ExecRoot, "runtime", id)), $"round {round}: runtime state is left");
                Docker("start", name).Ok($"round {round}: start after the crash");
            }
            Docker("rm", "-f", name).Ok("rm -f");
            Assert.Empty(HostProcesses.ShimPids(id));
        }
    }

    [PrivilegedFact]
    public void An_oom_kill_is_reported_in_inspect_and_as_an_event()
    {
        const string oomControl = "/sys/fs/cgroup/memory/memory.oom_control";
        Skip.If(File.Exists(oomControl) && !File.ReadAllText(oomControl).Contains("oom_kill "),
            "this kernel's memory.oom_control counts no OOM kills (oom_kill came with Linux 4.13)");
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var run = Docker("run", "--name", "hungry", "-m", "8m", "--memory-swap", "8m", "busybox",
            "sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived");
        Assert.Equal(137, run.ExitCode);
        Assert.Equal("true 137", Docker("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", "hungry").Output);
        var until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var events = Docker("events", "--since", since.ToString(), "--until", until.ToString(), "--filter", "container=hungry",
            "--format", "{{.Action}}").Ok("events").Output.Split('\n');
        Assert.Contains("oom", events);
        Docker("rm", "hungry").Ok("rm");
    }
}
