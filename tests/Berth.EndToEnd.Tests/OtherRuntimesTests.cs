using System.Diagnostics;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// <c>--runtime runc|crun</c>: the installed runtimes berthd registers, run through the same shim as berth-runtime, with
/// the same lifecycle, exec, logs, stop and cleanup, including after their shim is killed.
/// </summary>
public sealed class OtherRuntimesTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public OtherRuntimesTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    [PrivilegedTheory]
    [InlineData("runc")]
    [InlineData("crun")]
    public void A_container_runs_its_whole_life_with_another_runtime(string runtime)
    {
        RequireWorking(runtime);
        var id = Docker("run", "-d", "--runtime", runtime, "busybox", "sh", "-c", "echo started; exec sleep 300").Ok("run -d").Output;
        try
        {
            Assert.Equal(runtime, Docker("inspect", "-f", "{{.HostConfig.Runtime}}", id).Ok("inspect").Output);
            Assert.True(Directory.Exists(Path.Combine(_daemon.ExecRoot, "runtimes", runtime, id)), "the runtime's state is under its own root");
            Wait.Until(() => Docker("logs", id).Output == "started", "the log");
            Assert.StartsWith("sleep", Docker("exec", id, "cat", "/proc/1/cmdline").Ok("exec").Output);
            Assert.Contains("sleep 300", Docker("top", id).Ok("top").Output);
            Docker("pause", id).Ok("pause");
            Assert.Equal("paused", Docker("inspect", "-f", "{{.State.Status}}", id).Output);
            Docker("unpause", id).Ok("unpause");
            Docker("stop", "-t", "1", id).Ok("stop");
            Assert.Equal("137", Docker("inspect", "-f", "{{.State.ExitCode}}", id).Output);
            Assert.False(Directory.Exists(Path.Combine(_daemon.ExecRoot, "runtimes", runtime, id)), "the runtime's state is left after the exit");
        }
        finally
        {
            Docker("rm", "-f", id);
        }
    }

    [PrivilegedTheory]
    [InlineData("runc")]
    [InlineData("crun")]
    public void A_killed_shim_of_another_runtime_takes_its_container_with_it(string runtime)
    {
        RequireWorking(runtime);
        var id = Docker("run", "-d", "--runtime", runtime, "busybox", "sleep", "300").Ok("run -d").Output;
        var pid = int.Parse(Docker("inspect", "-f", "{{.State.Pid}}", id).Output);
        var cgroups = HostProcesses.CgroupDirectories(pid);
        Process.GetProcessById(Assert.Single(HostProcesses.ShimPids(id))).Kill();

        Wait.Until(() => Docker("inspect", "-f", "{{.State.Status}}", id).Output == "exited", "exit recorded");
        Wait.Until(() => !HostProcesses.IsAlive(pid), "container process gone");
        Assert.All(cgroups, c => Assert.False(Directory.Exists(c), $"{c} is left"));
        Assert.False(Directory.Exists(Path.Combine(_daemon.ExecRoot, "runtimes", runtime, id)), "runtime state is left");
        Docker("rm", id).Ok("rm");
    }

    [PrivilegedFact]
    public void An_unknown_runtime_is_refused_with_dockers_message()
    {
        var refused = Docker("run", "--rm", "--runtime", "nosuchrt", "busybox", "true");
        Assert.Equal(125, refused.ExitCode);
        Assert.Contains("unknown or invalid runtime name: nosuchrt", refused.Stderr);
    }

    /// <summary>Skips where the runtime is not installed, or cannot run containers on this host at all (crun before 1.9 on a hybrid cgroup host whose v2 hierarchy has a controller).</summary>
    private void RequireWorking(string runtime)
    {
        var registered = Docker("info", "--format", $"{{{{index .Runtimes \"{runtime}\"}}}}").Ok("info").Output;
        Skip.If(registered is "" or "<no value>", $"{runtime} is not installed on this host");
        var probe = Docker("run", "--rm", "--runtime", runtime, "busybox", "sh", "-c", "echo probe; exit 3");
        Skip.If(probe.Stderr.Contains("cgroups in hybrid mode not supported", StringComparison.Ordinal),
            $"{runtime} refuses this host's cgroups: {probe.Stderr.Trim()}");
        Assert.Equal((3, "probe"), (probe.ExitCode, probe.Output));
    }
}
