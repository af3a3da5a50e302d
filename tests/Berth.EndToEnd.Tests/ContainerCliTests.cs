using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>The container lifecycle as a user drives it with the real docker CLI (28.2.2) against berthd.</summary>
public sealed class ContainerCliTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public ContainerCliTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    [PrivilegedFact]
    public void Run_rm_streams_stdout_and_stderr_apart_and_exits_with_the_containers_code()
    {
        var result = Docker("run", "--rm", "--name", "rm-code", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out", result.Output);
        Assert.Contains("err", result.Stderr);
        Assert.DoesNotContain("rm-code", Docker("ps", "-a", "--format", "{{.Names}}").Output);
    }

    [PrivilegedFact]
    public void A_missing_executable_is_exit_127_with_the_runtimes_message()
    {
        var result = Docker("run", "--rm", "busybox", "no-such-binary");
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("executable file not found in $PATH", result.Stderr);
    }

    [PrivilegedFact]
    public void An_unknown_image_is_a_404_the_cli_reports()
    {
        var result = Docker("create", "no-such-image:1.0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unable to find image 'no-such-image:1.0' locally", result.Stderr);
    }

    [PrivilegedFact]
    public void Stdin_reaches_the_container_and_its_end_ends_it()
    {
        var result = _daemon.DockerWithInput("line one\nline two\n", "run", "--rm", "-i", "busybox", "sh", "-c", "cat; echo done");
        Assert.Equal("line one\nline two\ndone", result.Ok("run -i").Output);
    }

    [PrivilegedFact]
    public void Run_it_gets_a_terminal_of_the_callers_size_and_its_exit_code()
    {
        var result = Commands.OnTerminal($"docker -H {_daemon.Host} run -it --rm busybox sh -c 'tty; stty size; exit 7'", rows: 33, columns: 101);
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("/dev/pts/0", result.Stdout);
        Assert.Contains("33 101", result.Stdout);
    }

    [PrivilegedFact]
    public void Detached_container_logs_exec_top_stop_and_inspect()
    {
        var id = Docker("run", "-d", "--name", "ticker", "busybox", "sh", "-c", "trap 'exit 0' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done").Ok("run -d").Output;
        Assert.Equal(64, id.Length);
        WaitFor(() => Docker("logs", "ticker").Output.Contains("tick 2"));
        Assert.Equal("running", Docker("inspect", "-f", "{{.State.Status}}", "ticker").Output);
        Assert.StartsWith("Up ", Docker("ps", "--filter", "name=ticker", "--format", "{{.Status}}").Output);

        var exec = Docker("exec", "ticker", "sh", "-c", "echo in; hostname; exit 5");
        Assert.Equal(5, exec.ExitCode);
        Assert.Equal($"in\n{id[..12]}", exec.Output);
        Assert.Equal("piped", _daemon.DockerWithInput("piped", "exec", "-i", "ticker", "cat").Ok("exec -i").Output);
        var missing = Docker("exec", "ticker", "no-such-binary");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("OCI runtime exec failed: exec failed: unable to start container process: exec: \"no-such-binary\": executable file not found in $PATH", missing.Stderr);
        Assert.Contains("sleep", Docker("top", "ticker").Ok("top").Output);

        Docker("stop", "ticker").Ok("stop");
        Assert.Equal("exited 0", Docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "ticker").Output);
        var logs = Docker("logs", "-f", "--tail", "2", "ticker").Ok("logs -f on a stopped container").Output.Split('\n');
        Assert.Equal(2, logs.Length);
        Assert.All(logs, l => Assert.StartsWith("tick ", l));
        Docker("rm", "ticker").Ok("rm");
    }

    [PrivilegedFact]
    public void Exec_it_gets_a_terminal()
    {
        Docker("run", "-d", "--name", "exec-tty", "busybox", "sleep", "60").Ok("run -d");
        var result = Commands.OnTerminal($"docker -H {_daemon.Host} exec -it exec-tty sh -c 'tty; stty size; echo term=$TERM'", rows: 21, columns: 77);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("/dev/pts/", result.Stdout);
        Assert.Contains("21 77", result.Stdout);
        Assert.Contains("term=xterm", result.Stdout);
        Assert.Equal("term=", Docker("exec", "exec-tty", "sh", "-c", "echo term=$TERM").Output);
        Assert.Equal("term=vt100", Docker("exec", "-t", "-e", "TERM=vt100", "exec-tty", "sh", "-c", "echo term=$TERM").Output.TrimEnd('\r'));
        Docker("rm", "-f", "exec-tty").Ok("rm -f");
    }

    [PrivilegedFact]
    public void Names_conflict_and_running_containers_are_not_removed_without_force()
    {
        Docker("run", "-d", "--name", "busy-name", "busybox", "sleep", "60").Ok("run -d");
        var conflict = Docker("run", "-d", "--name", "busy-name", "busybox", "true");
        Assert.Equal(125, conflict.ExitCode);
        Assert.Contains("Conflict. The container name \"/busy-name\" is already in use by container", conflict.Stderr);
        var rm = Docker("rm", "busy-name");
        Assert.NotEqual(0, rm.ExitCode);
        Assert.Contains("container is running: stop the container before removing or force remove", rm.Stderr);
        Docker("rm", "-f", "busy-name").Ok("rm -f");
        Assert.NotEqual(0, Docker("inspect", "busy-name").ExitCode);
    }

    [PrivilegedFact]
    public void Refused_settings_are_a_clear_400()
    {
        var result = Docker("run", "--rm", "--link", "other:alias", "busybox", "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains("HostConfig.Links is not supported yet", result.Stderr);
    }

    [PrivilegedFact]
    public void Docker_defaults_apply_inside_the_container()
    {
        var output = Docker("run", "--rm", "--network", "none", "--hostname", "probe", "-e", "A=1", "-w", "/tmp/made", "-u", "nobody",
            "busybox", "sh", "-c", "hostname; echo $A; pwd; id -u; grep -c . /proc/self/status >/dev/null && grep CapEff /proc/self/status; cat /proc/self/mountinfo | grep -c ' /dev/shm '").Ok("run").Output.Split('\n');
        Assert.Equal("probe", output[0]);
        Assert.Equal("1", output[1]);
        Assert.Equal("/tmp/made", output[2]);
        Assert.Equal("65534", output[3]);
        Assert.Equal("CapEff:\t0000000000000000", output[4]);
        Assert.Equal("1", output[5]);
        var root = Docker("run", "--rm", "--network", "none", "busybox", "grep", "CapEff", "/proc/self/status").Ok("run").Output;
        Assert.Equal("CapEff:\t00000000a80425fb", root); // Docker's 14 default capabilities
    }

    [PrivilegedFact]
    public void A_crashed_daemon_finds_its_containers_again()
    {
        Docker("run", "-d", "--name", "survivor", "busybox", "sh", "-c", "trap 'exit 0' TERM; i=0; while true; do echo beat $i; i=$((i+1)); sleep 0.2; done").Ok("run -d");
        Docker("run", "-d", "--name", "leaver", "busybox", "sh", "-c", "trap 'exit 4' TERM; while true; do sleep 0.1; done").Ok("run -d");
        WaitFor(() => Docker("logs", "survivor").Output.Contains("beat 1"));

        var leaver = int.Parse(Docker("inspect", "-f", "{{.State.Pid}}", "leaver").Ok("inspect").Output);

        // SIGKILL: the shims keep both containers going; "leaver" exits while no daemon runs, the new one finds its exit.
        _daemon.Restart(whileDown: () =>
        {
            Commands.Run("kill", ["-TERM", leaver.ToString()]).Ok("kill leaver");
            Wait.Until(() => !Directory.Exists($"/proc/{leaver}"), "leaver's exit");
        });

        Assert.Equal("running", Docker("inspect", "-f", "{{.State.Status}}", "survivor").Output);
        WaitFor(() => Docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "leaver").Output == "exited 4");
        var before = Docker("logs", "survivor").Output.Split('\n').Length;
        WaitFor(() => Docker("logs", "survivor").Output.Split('\n').Length > before + 2);
        Assert.Equal("alive", Docker("exec", "survivor", "echo", "alive").Ok("exec after restart").Output);
        Docker("stop", "survivor").Ok("stop after restart");
        Assert.Equal("exited 0", Docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "survivor").Output);
        Docker("rm", "survivor", "leaver").Ok("rm");
    }

    [PrivilegedFact]
    public void On_failure_restarts_up_to_its_limit()
    {
        Docker("run", "-d", "--name", "retry", "--restart", "on-failure:2", "busybox", "sh", "-c", "sleep 0.3; exit 1").Ok("run -d");
        WaitFor(() => Docker("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", "retry").Output == "2 exited");
        Assert.Equal("1", Docker("inspect", "-f", "{{.State.ExitCode}}", "retry").Output);
        Docker("rm", "retry").Ok("rm");
    }

    [PrivilegedFact]
    public void Pause_unpause_rename_kill_restart_and_prune()
    {
        var id = Docker("run", "-d", "--name", "lifecycle", "busybox", "sleep", "60").Ok("run -d").Output;
        Docker("pause", "lifecycle").Ok("pause");
        Assert.Equal("paused", Docker("inspect", "-f", "{{.State.Status}}", "lifecycle").Output);
        Assert.Contains("is already paused", Docker("pause", "lifecycle").Stderr);
        Docker("unpause", "lifecycle").Ok("unpause");
        Docker("rename", "lifecycle", "renamed").Ok("rename");
        Assert.Equal("/renamed", Docker("inspect", "-f", "{{.Name}}", "renamed").Output);
        var pid = Docker("inspect", "-f", "{{.State.Pid}}", "renamed").Output;
        Docker("restart", "-t", "1", "renamed").Ok("restart");
        Assert.NotEqual(pid, Docker("inspect", "-f", "{{.State.Pid}}", "renamed").Output);
        Docker("kill", "-s", "KILL", "renamed").Ok("kill");
        Assert.Equal("exited 137", Docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "renamed").Output);
        Assert.Contains("is not running", Docker("kill", "renamed").Stderr);
        Assert.Contains(id, Docker("container", "prune", "-f").Ok("prune").Output);
        Assert.NotEqual(0, Docker("inspect", "renamed").ExitCode);
    }

    [PrivilegedFact]
    public void Limits_apply_and_update_changes_them_while_it_runs()
    {
        Docker("run", "-d", "--name", "limited", "-m", "64m", "--pids-limit", "50", "busybox", "sleep", "60").Ok("run -d");
        var memoryLimit = HostCgroups.ContainerFile("memory", "memory.limit_in_bytes", "memory.max");
        var memory = Docker("exec", "limited", "cat", memoryLimit);
        var pids = Docker("exec", "limited", "cat", HostCgroups.ContainerFile("pids", "pids.max", "pids.max"));
        Assert.Equal("67108864 50", $"{memory.Ok("exec").Output} {pids.Ok("exec").Output}");
        Docker("update", "-m", "128m", "--memory-swap", "256m", "limited").Ok("update");
        Assert.Equal("134217728", Docker("exec", "limited", "cat", memoryLimit).Output);
        Assert.Equal("134217728", Docker("inspect", "-f", "{{.HostConfig.Memory}}", "limited").Output);
        var stats = Docker("stats", "--no-stream", "--format", "{{.PIDs}} {{.MemUsage}}", "limited").Ok("stats").Output;
        Assert.Matches(@"^1 [0-9.]+[KMG]iB / 128MiB$", stats);
        Docker("rm", "-f", "limited").Ok("rm -f");
    }

    [PrivilegedFact]
    public void A_blkio_weight_applies_where_the_host_has_one_and_is_discarded_where_not()
    {
        var file = HostCgroups.BlkioWeightFile();
        var run = Docker("run", "--rm", "--blkio-weight", "300", "busybox", "sh", "-c", file is null ? "echo started" : $"cat /sys/fs/cgroup/{file}");

        run.Ok("run --blkio-weight");
        if (file is null)
        {
            Assert.Equal("started", run.Output);
            Assert.Contains("Your kernel does not support Block I/O weight", run.Stderr);
            Assert.Contains(HostCgroups.IsV2 ? "WARNING: No io.weight support" : "WARNING: No blkio weight support", Docker("info").Stderr);
            var id = Docker("create", "--blkio-weight", "300", "busybox", "true").Ok("create").Output.Split('\n')[^1];
            Assert.Equal("0", Docker("inspect", "-f", "{{.HostConfig.BlkioWeight}}", id).Output);
            Docker("rm", id).Ok("rm");
        }
        else
        {
            Assert.Matches(file == "io.weight" ? "^default 2929$" : "^(default )?300$", run.Output);
        }
    }

    [PrivilegedFact]
    public void Pid_and_uts_host_share_the_hosts_namespaces()
    {
        static string Namespace(string kind) => new FileInfo($"/proc/self/ns/{kind}").LinkTarget!;

        var shared = Docker("run", "--rm", "--pid", "host", "--uts", "host", "busybox", "sh", "-c", "readlink /proc/self/ns/pid; readlink /proc/self/ns/uts; hostname")
            .Ok("run --pid host --uts host").Output.Split('\n');

        Assert.Equal([Namespace("pid"), Namespace("uts"), File.ReadAllText("/proc/sys/kernel/hostname").Trim()], shared);
        var own = Docker("run", "--rm", "busybox", "readlink", "/proc/self/ns/pid").Ok("run").Output;
        Assert.NotEqual(Namespace("pid"), own);
        var id = Docker("create", "--pid", "host", "--uts", "host", "busybox", "true").Ok("create").Output;
        Assert.Equal("host host", Docker("inspect", "-f", "{{.HostConfig.PidMode}} {{.HostConfig.UTSMode}}", id).Ok("inspect").Output);
        Docker("rm", id).Ok("rm");
        Assert.Contains("conflicting options: hostname and the UTS mode",
            Docker("run", "--rm", "--uts", "host", "--hostname", "mine", "busybox", "true").Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [PrivilegedFact]
    public void Health_checks_report_in_inspect_and_ps()
    {
        // Unhealthy until the test itself makes it ready: no window to catch under load.
        Docker("run", "-d", "--name", "checked", "--health-cmd", "test -f /tmp/ready", "--health-interval", "300ms", "--health-retries", "1",
            "busybox", "sleep", "60").Ok("run -d");
        WaitFor(() => Docker("inspect", "-f", "{{.State.Health.Status}}", "checked").Output == "unhealthy");
        Docker("exec", "checked", "touch", "/tmp/ready").Ok("exec touch");
        WaitFor(() => Docker("ps", "--filter", "name=checked", "--format", "{{.Status}}").Output.EndsWith("(healthy)", StringComparison.Ordinal));
        var codes = Docker("inspect", "-f", "{{range .State.Health.Log}}{{.ExitCode}} {{end}}", "checked").Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1", codes[0]);
        Assert.Equal("0", codes[^1]);
        Docker("rm", "-f", "checked").Ok("rm -f");
    }

    [PrivilegedFact]
    public void Container_network_mode_shares_the_other_containers_namespace_and_hostname()
    {
        var id = Docker("run", "-d", "--name", "net-owner", "--network", "none", "busybox", "sleep", "60").Ok("run -d").Output;
        var owner = Docker("exec", "net-owner", "readlink", "/proc/self/ns/net").Ok("exec").Output;
        var joined = Docker("run", "--rm", "--network", "container:net-owner", "busybox", "sh", "-c", "hostname; readlink /proc/self/ns/net")
            .Ok("run --network container:").Output.Split('\n');
        Assert.Equal([id[..12], owner], joined);
        Docker("rm", "-f", "net-owner").Ok("rm -f");
    }

    [PrivilegedFact]
    public void Init_runs_as_pid_1_and_reaps()
    {
        var output = Docker("run", "--rm", "--init", "busybox", "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; echo; echo $$").Ok("run --init").Output.Split('\n');
        Assert.StartsWith("/sbin/docker-init -- sh -c", output[0]);
        Assert.NotEqual("1", output[1]);
    }

    private static void WaitFor(Func<bool> condition) => Wait.Until(condition, "condition");
}
