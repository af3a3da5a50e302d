using Berth.Testing;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>A daemon started with dockerd's operating flags: socket group, default ulimits, debug off, a daemon.json.</summary>
public sealed class OperatedDaemon() : DaemonProcess(["-G", "4321", "--default-ulimit", "nofile=1234:2345", "--log-level", "info"]);

/// <summary>berthd as an operator runs it: its socket, its daemon.json and SIGHUP, its stop that leaves containers running.</summary>
public sealed class DaemonOperationTests : IClassFixture<OperatedDaemon>
{
    private readonly OperatedDaemon _daemon;

    public DaemonOperationTests(OperatedDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
    }

    [PrivilegedFact]
    public void The_socket_belongs_to_root_and_the_group_with_mode_0660()
    {
        var stat = Commands.Run("stat", ["-c", "%U %g %a", _daemon.Socket]).Ok("stat").Output;
        Assert.Equal("root 4321 660", stat);
    }

    [PrivilegedFact]
    public void Default_ulimits_apply_to_containers_that_do_not_set_their_own()
    {
        _daemon.SeedBusybox();
        Assert.Equal("1234 2345", _daemon.Docker("run", "--rm", "busybox", "sh", "-c", "echo $(ulimit -Sn) $(ulimit -Hn)").Ok("run").Output);
        Assert.Equal("100 200", _daemon.Docker("run", "--rm", "--ulimit", "nofile=100:200", "busybox", "sh", "-c", "echo $(ulimit -Sn) $(ulimit -Hn)").Ok("run").Output);
    }

    [PrivilegedFact]
    public void Sighup_reloads_the_log_level_and_the_mirrors_and_logs_what_changed()
    {
        _daemon.Docker("version").Ok("version");
        Assert.DoesNotContain("GET /v1.44/version 200", _daemon.Output);

        File.WriteAllText(_daemon.ConfigFile, """{"debug": true, "registry-mirrors": ["http://127.0.0.1:9"]}""");
        Commands.Run("kill", ["-HUP", _daemon.Pid.ToString()]).Ok("kill -HUP");
        Wait.Until(() => _daemon.Output.Contains("registry-mirrors: [] -> [http://127.0.0.1:9/]"), "the daemon's log", seconds: 10);
        Assert.Contains("Reloaded configuration: debug: false -> true", _daemon.Output);

        _daemon.Docker("version").Ok("version");
        Wait.Until(() => _daemon.Output.Contains("GET /v1.44/version 200"), "the daemon's log", seconds: 10);

        File.WriteAllText(_daemon.ConfigFile, """{"debug": false, "default-ulimits": {"nproc": {"Name": "nproc", "Soft": 1, "Hard": 1}}}""");
        Commands.Run("kill", ["-HUP", _daemon.Pid.ToString()]).Ok("kill -HUP");
        Wait.Until(() => _daemon.Output.Contains("Error reconfiguring the daemon"), "the daemon's log", seconds: 10);
        Assert.Contains("default-ulimits: (from flag: [nofile=1234:2345], from file: map[nproc:map[Hard:1 Name:nproc Soft:1]])", _daemon.Output);
        File.WriteAllText(_daemon.ConfigFile, "{}");
    }
}

/// <summary>Starting berthd with a configuration it must refuse: it says why and exits 1, listening nowhere.</summary>
public sealed class RefusedConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-refused-").FullName;

    private readonly TestBridge _bridge = new();

    public void Dispose()
    {
        _bridge.Remove();
        Directory.Delete(_dir, recursive: true);
    }

    private CommandResult Berthd(string json, params string[] args)
    {
        var config = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(config, json);
        return Commands.Run(RepoPaths.Daemon, ["-H", $"unix://{_dir}/b.sock", "--data-root", $"{_dir}/data", "--exec-root", $"{_dir}/exec",
            "--pidfile", $"{_dir}/b.pid", "--config-file", config, .. _bridge.Arguments, .. args], timeoutSeconds: 30);
    }

    [PrivilegedFact]
    public void A_key_both_in_the_file_and_on_the_command_line_is_refused()
    {
        var result = Berthd("""{"debug": true}""", "-D");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the following directives are specified both as a flag and in the configuration file: debug: (from flag: true, from file: true)",
            result.Stderr);
        Assert.False(File.Exists($"{_dir}/b.sock"));
    }

    [PrivilegedFact]
    public void Plain_tcp_without_an_explicit_tls_false_is_refused()
    {
        var result = Berthd("{}", "-H", $"tcp://127.0.0.1:{DaemonProcess.FreePort()}");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--tls=false", result.Stderr);
    }

    [Fact]
    public void Help_lists_dockerds_flags()
    {
        var result = Commands.Run(RepoPaths.Daemon, ["--help"]).Ok("berthd --help");
        foreach (var flag in new[] { "-H, --host", "--tlsverify", "--tlscacert", "-G, --group", "--data-root", "--exec-root", "-p, --pidfile",
                     "-D, --debug", "--config-file", "--live-restore", "--max-concurrent-downloads", "--default-ulimit", "--add-runtime" })
            Assert.Contains(flag, result.Stdout);
    }
}
