using System.Text.RegularExpressions;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// berth as a drop-in for docker: the same command lines through docker 28.2.2 and berth against one berthd, with
/// stdout, stderr and the exit code compared after normalising what must differ (ids, the program's name where it
/// names itself, ages). Each case leaves the daemon as it found it, so both CLIs see the same state.
/// </summary>
public sealed partial class ParityTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly string _config = Directory.CreateTempSubdirectory("berth-parity-").FullName;

    public ParityTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        Assert.True(File.Exists(RepoPaths.Cli), $"{RepoPaths.Cli} is missing: run scripts/build.sh first");
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    public void Dispose() => Directory.Delete(_config, recursive: true);

    /// <summary>With <paramref name="withHost"/> the daemon is named by <c>-H</c>; else the context decides.</summary>
    private CommandResult Run(string program, string[] args, bool withHost, string? path = null)
    {
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config };
        if (path is not null)
            environment["PATH"] = path;
        return Commands.Run(program, withHost ? ["-H", _daemon.Host, .. args] : args, environment: environment);
    }

    /// <summary>Runs docker, then berth, and asserts the same normalised stdout, stderr and exit code.</summary>
    private void Same(params string[] args) => SameAs(true, args);

    private void SameAs(bool withHost, params string[] args)
    {
        var docker = Run("docker", args, withHost);
        var berth = Run(RepoPaths.Cli, args, withHost);
        var line = string.Join(' ', args);
        Assert.True(docker.ExitCode == berth.ExitCode, $"{line}: docker exited {docker.ExitCode}, berth {berth.ExitCode}\n{docker.Stderr}\n{berth.Stderr}");
        Assert.Equal($"{line}\n{Normalise(docker.Stdout, isDocker: true)}", $"{line}\n{Normalise(berth.Stdout, isDocker: false)}");
        Assert.Equal($"{line}\n{Normalise(docker.Stderr, isDocker: true)}", $"{line}\n{Normalise(berth.Stderr, isDocker: false)}");
    }

    /// <summary>Ids, ages and docker's own name (where it names the program; not in JSON keys, URLs or "docker endpoint") become placeholders.</summary>
    private static string Normalise(string text, bool isDocker)
    {
        if (isDocker)
        {
            text = text.Replace("unix:///var/run/docker.sock", "unix:///run/berth/berth.sock", StringComparison.Ordinal);
            text = ProgramName().Replace(text, "berth").Replace("Docker", "Berth", StringComparison.Ordinal);
        }
        text = LongId().Replace(text, "<ID>");
        text = ShortId().Replace(text, "<SHORT-ID>");
        return Age().Replace(text, "<AGE>");
    }

    [GeneratedRegex(@"\bdocker(?! endpoint)(?=[ :'][^/])")]
    private static partial Regex ProgramName();

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex LongId();

    [GeneratedRegex(@"\b[0-9a-f]{12}\b")]
    private static partial Regex ShortId();

    [GeneratedRegex(@"(\d+|About an?|Less than a) (second|minute|hour)s?( ago)?")]
    private static partial Regex Age();

    [PrivilegedFact]
    public void Usage_errors_and_unknown_commands()
    {
        Same("nosuch");
        Same("container", "nosuch");
        Same("image", "--nosuch");
        Same("--nosuch");
        Same("ps", "--nosuch");
        Same("ps", "-Z");
        Same("ps", "extra");
        Same("rm");
        Same("rename", "a");
        Same("login", "a", "b");
        Same("port");
        Same("stop", "-t", "x", "a");
        Same("run", "--pull", "sometimes", "busybox");
        Same("run", "--rm", "--restart", "always", "busybox");
        Same("help", "nosuch");
        Same("update", "nosuch");
        Same("search", "busybox");
    }

    [PrivilegedFact]
    public void Help_of_commands_berth_has_in_full()
    {
        foreach (var command in new[] { "rm", "start", "stop", "restart", "rmi", "logs", "port", "ps", "images", "version", "inspect", "tag", "wait",
            "run", "create", "pull", "push", "save", "load", "history", "events", "export", "logout" })
            Same(command, "--help");
        foreach (var command in new[] { "container inspect", "image inspect", "volume create", "volume rm", "system df" })
            Same([.. command.Split(' '), "--help"]);
        Same("help", "container", "ls");
        Same("help", "rm");
    }

    [PrivilegedFact]
    public void Start_and_stop_of_a_container_already_there_succeed()
    {
        _daemon.Docker("run", "-d", "--name", "parity-running", "busybox", "sleep", "1000").Ok("run -d");
        _daemon.Docker("create", "--name", "parity-stopped", "busybox", "true").Ok("create");
        try
        {
            Same("start", "parity-running");
            Same("stop", "parity-stopped");
            Same("container", "stop", "parity-stopped", "nosuch");
        }
        finally
        {
            _daemon.Docker("rm", "-f", "parity-running", "parity-stopped");
        }
    }

    [PrivilegedFact]
    public void Forced_removal_of_missing_objects_and_name_conflicts()
    {
        Same("rm", "-f", "nosuch");
        Same("rm", "nosuch");
        Same("rmi", "-f", "nosuch");
        Same("rmi", "nosuch");
        Same("inspect", "nosuch");
        _daemon.Docker("create", "--name", "parity-taken", "busybox", "true").Ok("create");
        try
        {
            Same("create", "--name", "parity-taken", "busybox", "true");
            Same("run", "--name", "parity-taken", "busybox", "true");
        }
        finally
        {
            _daemon.Docker("rm", "-f", "parity-taken");
        }
    }

    [PrivilegedFact]
    public void The_everyday_read_path()
    {
        _daemon.Docker("run", "-d", "--name", "parity-web", "-l", "tier=front", "busybox", "sh", "-c", "echo hello; sleep 1000").Ok("run -d");
        try
        {
            Same("ps", "--format", "{{.Names}} {{.Image}} {{.Command}} {{.Labels}}");
            Same("ps", "-a", "--format", "{{json .Names}} {{.State}}");
            Same("ps", "--format", "{{.Platform}}");
            Same("ps", "--format", "{{json.}}");
            Same("images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}");
            Same("images", "--format", "json");
            Same("inspect", "--format", "{{.Name}} {{.State.Running}} {{index .Config.Labels \"tier\"}}", "parity-web");
            Same("logs", "parity-web");
            Same("port", "parity-web");
            Same("port", "parity-web", "80");
            Same("version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Client.Context}}");
            Same("exec", "parity-web", "echo", "inside");
            Same("top", "parity-web", "-o", "pid,comm");
            Same("history", "--format", "{{.CreatedAt}} {{.CreatedSince}}", "-H=false", "busybox");
            Same("inspect", "--format", "{{.Name", "parity-web");
        }
        finally
        {
            _daemon.Docker("rm", "-f", "parity-web");
        }
    }

    /// <summary>
    /// ssh:// through a stand-in <c>ssh</c> on PATH that runs the remote command here: <c>berth system dial-stdio</c>
    /// against the test daemon, whichever CLI asked (docker asks for <c>docker system dial-stdio</c>).
    /// </summary>
    [PrivilegedFact]
    public void Ssh_hosts_reach_the_daemon_through_dial_stdio()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_config, "bin")).FullName;
        var ssh = Path.Combine(bin, "ssh");
        File.WriteAllText(ssh, $"#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done\nexec {RepoPaths.Cli} -H {_daemon.Host} system dial-stdio\n");
        File.SetUnixFileMode(ssh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        string[] lines =
        [
            "images --format {{.Repository}}:{{.Tag}}",
            "run --rm busybox echo over-ssh",
            "run --rm -i busybox cat",
        ];
        foreach (var line in lines)
        {
            string[] args = ["-H", "ssh://parity@example.test", .. line.Split(' ')];
            var docker = Run("docker", args, withHost: false, path);
            var berth = Run(RepoPaths.Cli, args, withHost: false, path);
            Assert.True(docker.ExitCode == 0, $"docker {line}: {docker.Stderr}");
            Assert.Equal((docker.ExitCode, docker.Stdout, docker.Stderr), (berth.ExitCode, berth.Stdout, berth.Stderr));
        }
        Assert.Equal("over-ssh\n", Run(RepoPaths.Cli, ["-H", "ssh://example.test", "run", "--rm", "busybox", "echo", "over-ssh"], withHost: false, path).Stdout);
    }

    /// <summary>
    /// <c>--use-api-socket</c>: the socket each CLI talks to is in the container at /var/run/docker.sock, and the
    /// login stored in the CLI's config is there as /run/secrets/docker/config.json (0600) with DOCKER_CONFIG set.
    /// </summary>
    [PrivilegedFact]
    public void Use_api_socket_mounts_the_socket_and_the_logins()
    {
        File.WriteAllText(Path.Combine(_config, "config.json"), """{"auths": {"127.0.0.1:5000": {"auth": "YWxpY2U6d29uZGVybGFuZA=="}}}""");
        const string probe = "test -S /var/run/docker.sock && echo socket; echo $DOCKER_CONFIG; stat -c %a /run/secrets/docker/config.json; cat /run/secrets/docker/config.json";
        Same("run", "--rm", "--use-api-socket", "busybox", "sh", "-c", probe);
        Same("run", "--rm", "--use-api-socket", "-e", "DOCKER_CONFIG=/mine", "busybox", "sh", "-c", "echo $DOCKER_CONFIG; ls /run/secrets");
        SameAs(false, "-H", "tcp://127.0.0.1:1", "run", "--use-api-socket", "busybox");
        SameAs(false, "-H", "tcp://127.0.0.1:1", "create", "--use-api-socket", "busybox");
    }

    /// <summary><c>-o</c> renames the archive over its path: what is not a regular file there is refused, as docker refuses it.</summary>
    [PrivilegedFact]
    public void Output_paths_that_are_not_regular_files_are_refused()
    {
        var fifo = Path.Combine(_config, "fifo");
        Commands.Run("mkfifo", [fifo]).Ok("mkfifo");
        foreach (var path in new[] { fifo, _config, Path.Combine(_config, "missing", "out.tar") })
        {
            Same("save", "-o", path, "busybox");
            Same("export", "-o", path, "nosuch");
        }
    }

    [PrivilegedFact]
    public void Volumes_print_as_docker_prints_them()
    {
        _daemon.Docker("volume", "create", "--label", "tier=data", "parity-volume").Ok("volume create");
        try
        {
            Same("volume", "create", "parity-volume");
            Same("volume", "inspect", "parity-volume");
            Same("volume", "ls");
            Same("volume", "inspect", "-f", "{{.Name}}", "nosuch");
        }
        finally
        {
            _daemon.Docker("volume", "rm", "parity-volume");
        }
    }

    [PrivilegedFact]
    public void System_prune_and_disk_usage()
    {
        // Both prune the build cache too: berthd answers it (with nothing to delete) instead of a 404 that failed them both.
        Run("docker", ["system", "prune", "-f"], withHost: true).Ok("docker system prune");
        Run(RepoPaths.Cli, ["builder", "prune", "-f"], withHost: true).Ok("berth builder prune");
        Same("system", "df");
        Same("system", "prune", "-f", "--filter", "label=parity");
        Same("image", "prune", "-f", "--filter", "label=parity");
        Same("container", "prune", "-f", "--filter", "label=parity");
    }

    [PrivilegedFact]
    public void Contexts_are_shared_and_chosen_alike()
    {
        Same("context", "ls");
        Same("context", "show");
        Same("context", "inspect");
        Same("context", "use", "nosuch");
        Same("context", "rm", "default");
        Run("docker", ["context", "create", "parity-docker", "--description", "made by docker", "--docker", $"host={_daemon.Host}"], withHost: false).Ok("docker context create");
        Run(RepoPaths.Cli, ["context", "create", "parity-berth", "--docker", $"host={_daemon.Host}"], withHost: false).Ok("berth context create");
        // Without -H the default contexts' endpoints differ (each CLI's own default socket), so not the table's widths.
        SameAs(false, "context", "ls", "--format", "{{.Name}}|{{.Current}}|{{.Description}}|{{.DockerEndpoint}}|{{.Error}}");
        SameAs(false, "context", "inspect", "parity-docker", "parity-berth");
        SameAs(false, "--context", "parity-berth", "images", "--format", "{{.Repository}}");
        SameAs(false, "--context", "parity-docker", "ps", "-a", "--format", "{{.Names}}");
        SameAs(false, "--context", "nosuch", "ps");
        Same("--context", "parity-docker", "ps");
        SameAs(false, "context", "create", "parity-docker", "--docker", "host=unix:///x");
        SameAs(false, "context", "rm", "nosuch");
        Run(RepoPaths.Cli, ["context", "rm", "parity-docker"], withHost: false).Ok("berth context rm");
        Run("docker", ["context", "rm", "parity-berth"], withHost: false).Ok("docker context rm");
        SameAs(false, "context", "ls", "-q");
    }
}
