using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.Testing;

namespace Berth.Privileged.Tests.Runtime;

/// <summary>create / start / state / kill / delete / exec as runc's command line has them, and what a failure leaves.</summary>
public sealed class LifecycleTests
{
    private static string Status(TestBundle bundle) =>
        JsonDocument.Parse(bundle.Cli("state", bundle.Id).EnsureSuccess("state").Stdout).RootElement.GetProperty("status").GetString()!;

    [PrivilegedFact]
    public void Create_stops_before_the_program_and_start_releases_it()
    {
        using var bundle = new TestBundle().WithScript("echo started > /dev/shm/marker; sleep 60");
        bundle.WriteConfig();
        var pidFile = Path.Combine(bundle.Dir, "pid");
        bundle.CliDetached("create", "--bundle", bundle.Dir, "--pid-file", pidFile, bundle.Id).EnsureSuccess("create");
        Assert.Equal("created", Status(bundle));
        Assert.True(int.Parse(File.ReadAllText(pidFile)) > 0);
        Assert.NotEqual(0, bundle.Cli("exec", bundle.Id, "cat", "/dev/shm/marker").ExitCode); // the program has not run yet

        bundle.Cli("start", bundle.Id).EnsureSuccess("start");
        Assert.Equal("running", Status(bundle));
        Assert.Contains(bundle.Id, bundle.Cli("list").EnsureSuccess("list").Stdout);
        var second = bundle.Cli("start", bundle.Id);
        Assert.Contains("cannot start an already running container", second.Stderr);

        var delete = bundle.Cli("delete", bundle.Id);
        Assert.Equal(1, delete.ExitCode);
        Assert.Contains($"cannot delete container {bundle.Id} that is not stopped: running", delete.Stderr);

        bundle.Cli("kill", bundle.Id, "KILL").EnsureSuccess("kill");
        for (var i = 0; i < 100 && Status(bundle) != "stopped"; i++) Thread.Sleep(20);
        Assert.Equal("stopped", Status(bundle));
        bundle.Cli("delete", bundle.Id).EnsureSuccess("delete");
        Assert.Contains("container does not exist", bundle.Cli("state", bundle.Id).Stderr);
    }

    [PrivilegedFact]
    public void Exec_runs_in_the_containers_namespaces_with_runc_errors()
    {
        using var bundle = new TestBundle().WithScript("sleep 60");
        bundle.WriteConfig();
        bundle.CliDetached("run", "--detach", "--bundle", bundle.Dir, bundle.Id).EnsureSuccess("run -d");
        var ok = bundle.Cli("exec", "--env", "PROBE=yes", "--user", "65534:65534", bundle.Id, "sh", "-c", "echo $PROBE; hostname; id -u; ps -o pid,comm | grep -c sleep").EnsureSuccess("exec");
        Assert.Equal("yes\nprobe\n65534\n1", ok.Output);
        Assert.Equal(3, bundle.Cli("exec", bundle.Id, "sh", "-c", "exit 3").ExitCode);

        var missing = bundle.Cli("exec", bundle.Id, "nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("exec: \"nosuch\": executable file not found in $PATH", missing.Stderr);
        var badCwd = bundle.Cli("exec", "--cwd", "/nonexistent", bundle.Id, "true");
        Assert.Contains("chdir to cwd (\"/nonexistent\") set in config.json failed: no such file or directory", badCwd.Stderr);
    }

    [PrivilegedFact]
    public void Run_returns_the_exit_code_and_a_killing_signal_as_128_plus_it()
    {
        using var exits = new TestBundle().WithScript("exit 42");
        Assert.Equal(42, exits.Run().ExitCode);
        // Not PID 1 of a namespace (which SIGKILL from inside cannot kill), so the signal ends it.
        using var killed = new TestBundle().WithScript("kill -9 $$");
        killed.Spec.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid");
        Assert.Equal(137, killed.Run().ExitCode);
    }

    [PrivilegedFact]
    public void A_failed_create_leaves_no_state_cgroup_or_process()
    {
        using var bundle = new TestBundle().WithScript("true");
        bundle.Spec.Process!.Args = ["nosuch-program"];
        var result = bundle.Run();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exec: \"nosuch-program\": executable file not found in $PATH", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(bundle.StateRoot, bundle.Id)));
        Assert.Empty(HostCgroups.ExistingDirectories(bundle.Spec.Linux!.CgroupsPath!));
        Assert.DoesNotContain(Directory.GetDirectories("/proc"), d => File.Exists(d + "/cmdline") && SafeRead(d + "/cmdline").Contains(bundle.Dir));
    }

    [PrivilegedFact]
    public void Bad_specs_are_refused_with_a_clear_error()
    {
        using var bundle = new TestBundle().WithScript("true");
        bundle.Spec.Linux!.Namespaces!.RemoveAll(n => n.Type == "mount");
        Assert.Contains("mount namespace", bundle.Run().Stderr);
        bundle.Spec.Linux.Namespaces.Add(new LinuxNamespace { Type = "mount" });
        bundle.Spec.Process!.Rlimits = [new PosixRlimit { Type = "RLIMIT_BOGUS" }];
        Assert.Contains("wrong rlimit value: RLIMIT_BOGUS", bundle.Run().Stderr);
    }

    [PrivilegedFact]
    public void Hooks_run_with_the_state_on_stdin()
    {
        using var bundle = new TestBundle().WithScript("true");
        var log = Path.Combine(bundle.Dir, "hooks.log");
        Hook Record(string phase) => new() { Path = "/bin/sh", Args = ["sh", "-c", $"echo {phase} $(cat) >> {log}"] };
        bundle.Spec.Hooks = new Hooks { CreateRuntime = [Record("createRuntime")], Poststart = [Record("poststart")], Poststop = [Record("poststop")] };
        bundle.Run().EnsureSuccess("run");
        var lines = File.ReadAllLines(log);
        Assert.Equal(["createRuntime", "poststart", "poststop"], lines.Select(l => l.Split(' ')[0]));
        Assert.Contains($"\"id\": \"{bundle.Id}\"", File.ReadAllText(log).Replace("\"id\":\"", "\"id\": \""));
        Assert.Contains("\"status\": \"creating\"", lines[0].Replace("\"status\":\"", "\"status\": \""));
    }

    [PrivilegedFact]
    public void Terminal_gives_the_process_a_pty_as_its_controlling_terminal()
    {
        using var bundle = new TestBundle().WithScript("tty; [ -t 0 ] && [ -t 1 ] && echo is-a-tty; stty size");
        bundle.Spec.Process!.Terminal = true;
        bundle.Spec.Process.ConsoleSize = new Box { Height = 30, Width = 100 };
        var output = bundle.Run().EnsureSuccess("run").Output.Replace("\r", "");
        Assert.Equal("/dev/pts/0\nis-a-tty\n30 100", output);
    }

    [PrivilegedFact]
    public void Exec_takes_a_process_file_and_names_what_is_wrong_in_a_bad_one()
    {
        using var bundle = new TestBundle().WithScript("sleep 60");
        bundle.WriteConfig();
        bundle.CliDetached("run", "--detach", "--bundle", bundle.Dir, bundle.Id).EnsureSuccess("run -d");
        var good = Path.Combine(bundle.Dir, "process.json");
        File.WriteAllText(good, """{"args": ["sh", "-c", "echo $WHO; id -u"], "env": ["WHO=file"], "cwd": "/tmp", "user": {"uid": 7, "gid": 7}}""");
        Assert.Equal("file\n7", bundle.Cli("exec", "--process", good, bundle.Id).EnsureSuccess("exec --process").Output);

        var bad = Path.Combine(bundle.Dir, "bad.json");
        File.WriteAllText(bad, """{"args": "sh"}""");
        var result = bundle.Cli("exec", "--process", bad, bundle.Id);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("args: expected an array, found string", result.Stderr);
    }

    [PrivilegedFact]
    public void Exec_with_a_terminal_gets_its_own_pty_in_the_containers_devpts()
    {
        using var bundle = new TestBundle().WithScript("sleep 60");
        bundle.WriteConfig();
        bundle.CliDetached("run", "--detach", "--bundle", bundle.Dir, bundle.Id).EnsureSuccess("run -d");
        var output = bundle.Cli("exec", "-t", bundle.Id, "sh", "-c", "tty; [ -t 0 ] && echo is-a-tty").EnsureSuccess("exec -t").Output.Replace("\r", "");
        Assert.Equal("/dev/pts/0\nis-a-tty", output);
    }

    private static string SafeRead(string path)
    {
        try { return File.ReadAllText(path); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; }
    }
}
