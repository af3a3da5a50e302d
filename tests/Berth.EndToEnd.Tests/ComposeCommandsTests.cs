using System.Globalization;
using System.Text.Json;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// <c>berth compose</c>'s commands beyond up and down against berthd: create, cp, wait, events, attach's error,
/// secrets and configs from the environment and inline content, <c>extends</c>, the resource keys reaching the
/// container, and <c>up --build</c> naming images as compose v2 does.
/// </summary>
public sealed class ComposeCommandsTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public ComposeCommandsTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private const string Application = """
        services:
          app:
            image: busybox
            command: ["sleep", "300"]
            secrets: [token]
            configs: [{source: motd, target: /etc/motd}]
            mem_limit: 64m
            ulimits: {nofile: {soft: 1024, hard: 2048}}
            logging: {driver: json-file, options: {max-size: 1m}}
          job:
            extends: app
            command: ["sh", "-c", "sleep 1; exit 3"]
        secrets:
          token: {environment: TOKEN}
        configs:
          motd: {content: hello}
        """;

    private string ProjectDirectory(string name, string yaml)
    {
        var directory = Path.Combine(_daemon.Directory, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "compose.yaml"), yaml);
        return directory;
    }

    private CommandResult Compose(string directory, params string[] args) =>
        Commands.Run(RepoPaths.Cli, ["-H", _daemon.Host, "compose", "--project-directory", directory, .. args], timeoutSeconds: 120,
            environment: new Dictionary<string, string> { ["TOKEN"] = "s3cret" });

    private string Inspect(string container, string format) => _daemon.Docker("inspect", "-f", format, container).Ok("inspect").Output;

    [PrivilegedFact]
    public void Create_then_start_cp_wait_and_events_with_secrets_extends_and_resources()
    {
        var app = ProjectDirectory("capp", Application);
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var created = Compose(app, "create").Ok("compose create");
        Assert.Contains(" Container capp-app-1 Created", created.Stderr);
        Assert.Equal("created", Inspect("capp-app-1", "{{.State.Status}}"));
        Assert.Equal("67108864 nofile=1024:2048 json-file 1m", Inspect("capp-app-1",
            "{{.HostConfig.Memory}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}}{{end}} {{.HostConfig.LogConfig.Type}} {{index .HostConfig.LogConfig.Config \"max-size\"}}"));

        Compose(app, "start").Ok("compose start");
        Assert.Equal("s3cret", Compose(app, "exec", "-T", "app", "cat", "/run/secrets/token").Ok("exec cat secret").Output);
        Assert.Equal("hello", Compose(app, "exec", "-T", "app", "cat", "/etc/motd").Ok("exec cat config").Output);
        Assert.Equal("-r--r--r--", Compose(app, "exec", "-T", "app", "stat", "-c", "%A", "/etc/motd").Ok("stat config").Output);
        Assert.Equal("1024", Compose(app, "exec", "-T", "app", "sh", "-c", "ulimit -n").Ok("ulimit").Output);

        var local = Path.Combine(app, "note.txt");
        File.WriteAllText(local, "copied\n");
        Assert.Contains(" Container capp-app-1 Copied", Compose(app, "cp", local, "app:/tmp/note.txt").Ok("cp to service").Stderr);
        var back = Path.Combine(app, "back.txt");
        Compose(app, "cp", "app:/tmp/note.txt", back).Ok("cp from service");
        Assert.Equal("copied\n", File.ReadAllText(back));
        Assert.Equal("copying between services is not supported", Compose(app, "cp", "app:/a", "job:/b").Stderr.Trim());

        var id = Inspect("capp-job-1", "{{.Id}}");
        var wait = Compose(app, "wait", "job");
        Assert.Equal((3, $"container \"{id}\" exited with status code 3"), (wait.ExitCode, wait.Output));

        var until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture);
        var lines = Compose(app, "events", "--json", "--since", since, "--until", until, "job").Ok("compose events --json").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, e => e.GetProperty("action").GetString() == "die" && e.GetProperty("id").GetString() == id
            && e.GetProperty("service").GetString() == "job" && e.GetProperty("attributes").GetProperty("name").GetString() == "capp-job-1");
        Assert.All(lines, e => Assert.Equal("job", e.GetProperty("service").GetString()));
        Assert.DoesNotContain(lines, e => e.GetProperty("attributes").EnumerateObject().Any(a => a.Name.StartsWith("com.docker.compose.", StringComparison.Ordinal)));
        var plain = Compose(app, "events", "--since", since, "--until", until, "app").Ok("compose events").Output;
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} container create [0-9a-f]{64} \(.*name=capp-app-1.*\)\n\n", plain);

        var attach = Compose(app, "attach", "--index", "9", "app");
        Assert.Equal((1, "service \"app\" is not running container #9"), (attach.ExitCode, attach.Stderr.Trim()));

        Compose(app, "down", "-v").Ok("compose down");
        Assert.Empty(_daemon.Docker("ps", "-aq", "--filter", "label=com.docker.compose.project=capp").Ok("ps").Output);
    }

    [PrivilegedFact]
    public void A_bad_setting_is_refused_before_anything_is_created()
    {
        var app = ProjectDirectory("badapp", """
            services:
              ok: {image: busybox, networks: [front]}
              bad: {image: busybox, security_opt: ["seccomp=missing.json"]}
            networks:
              front: {}
            """);
        var up = Compose(app, "up", "-d");
        Assert.Equal(1, up.ExitCode);
        Assert.Equal($"opening seccomp profile (missing.json) failed: open {app}/missing.json: no such file or directory", up.Stderr.Trim());
        Assert.Empty(_daemon.Docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=badapp").Ok("network ls").Output);

        var limits = ProjectDirectory("badsize", "services:\n  app: {image: busybox, mem_limit: lots}\n");
        var refused = Compose(limits, "up", "-d");
        Assert.Equal((1, $"{limits}/compose.yaml: services.app.mem_limit: invalid size: 'lots'"), (refused.ExitCode, refused.Stderr.Trim()));
    }

    [PrivilegedFact]
    public void A_failing_service_stops_the_rest_on_up_wait_and_on_abort_on_container_exit()
    {
        var app = ProjectDirectory("failapp", """
            services:
              steady: {image: busybox, command: [sleep, "300"], stop_signal: SIGKILL}
              sick:
                image: busybox
                command: [sleep, "300"]
                stop_signal: SIGKILL
                healthcheck: {test: [CMD, "false"], interval: 200ms, retries: 1}
            """);
        var wait = Compose(app, "up", "-d", "--wait");
        Assert.Equal((1, "dependency failed to start: container failapp-sick-1 is unhealthy"), (wait.ExitCode, wait.Stderr.Trim().Split('\n')[^1]));
        Assert.Contains(" Container failapp-steady-1 Stopped", wait.Stderr);
        Assert.Equal("exited", Inspect("failapp-steady-1", "{{.State.Status}}"));

        File.WriteAllText(Path.Combine(app, "compose.yaml"), """
            services:
              steady: {image: busybox, command: [sleep, "300"], stop_signal: SIGKILL}
              failing: {image: busybox, command: [sh, -c, "sleep 1; echo failing; exit 3"]}
            """);
        var abort = Compose(app, "up", "--abort-on-container-exit", "--remove-orphans");
        Assert.True(abort.ExitCode == 3, $"exit {abort.ExitCode}: {abort.Stderr}");
        Assert.Contains("failing-1  | failing", abort.Stdout);
        Assert.Contains("Aborting on container exit...", abort.Stdout);
        Assert.Equal("exited", Inspect("failapp-steady-1", "{{.State.Status}}"));

        // A service that ends well does not stop the others with --abort-on-container-failure: the failing one does.
        File.AppendAllText(Path.Combine(app, "compose.yaml"), "\n  done: {image: busybox, command: [\"true\"]}\n");
        var failure = Compose(app, "up", "--abort-on-container-failure");
        Assert.True(failure.ExitCode == 3, $"exit {failure.ExitCode}: {failure.Stderr}");
        Assert.Contains("done-1 exited with code 0", failure.Stdout);
        Assert.Equal(1, failure.Stdout.Split('\n').Count(l => l == "failing-1  | failing"));
        Assert.Contains("failing-1  | failing", failure.Stdout);
        Compose(app, "down").Ok("compose down");
    }

    [PrivilegedFact]
    public void Up_build_names_an_unnamed_image_project_service_and_tags_a_named_one()
    {
        var app = ProjectDirectory("buildapp", """
            services:
              plain:
                build: ./ctx
              named:
                build: {context: ./ctx, args: {WORD: named}}
                image: buildapp-custom:1
            """);
        Directory.CreateDirectory(Path.Combine(app, "ctx"));
        File.WriteAllText(Path.Combine(app, "ctx", "Dockerfile"), "FROM busybox\nARG WORD=plain\nRUN echo $WORD > /built\nCMD [\"sleep\", \"300\"]\n");
        var up = Compose(app, "up", "-d", "--build").Ok("compose up --build");
        Assert.Contains(" Image buildapp-plain Built", up.Stderr);
        Assert.Contains(" Image buildapp-custom:1 Built", up.Stderr);
        Assert.Equal("plain", Compose(app, "exec", "-T", "plain", "cat", "/built").Ok("exec plain").Output);
        Assert.Equal("named", Compose(app, "exec", "-T", "named", "cat", "/built").Ok("exec named").Output);
        Assert.Equal("buildapp-plain", Inspect("buildapp-plain-1", "{{.Config.Image}}"));

        Compose(app, "down", "--rmi", "all").Ok("compose down --rmi all");
        Assert.NotEqual(0, _daemon.Docker("image", "inspect", "buildapp-plain").ExitCode);
        Assert.NotEqual(0, _daemon.Docker("image", "inspect", "buildapp-custom:1").ExitCode);
    }

    [PrivilegedFact]
    public void On_a_terminal_progress_is_one_line_per_object_redrawn_in_place()
    {
        var app = ProjectDirectory("ttyapp", "services:\n  app: {image: busybox, command: [sleep, \"300\"], stop_signal: SIGKILL}\n");
        var prefix = $"{RepoPaths.Cli} -H {_daemon.Host} compose --project-directory {app}";
        var up = Commands.OnTerminal($"{prefix} up -d", columns: 70).Ok("compose up on a terminal").Stdout;
        Assert.Contains("[+] up 2/2", up);
        Assert.Matches(@" \x1b\[32m✔\x1b\[0m Network ttyapp_default\s+\x1b\[32mCreated\x1b\[0m\s+\x1b\[34m\d+\.\ds\x1b\[0m", up);
        Assert.Matches(@" \x1b\[32m✔\x1b\[0m Container ttyapp-app-1\s+\x1b\[32mStarted\x1b\[0m", up);
        var plain = Commands.OnTerminal($"{prefix} --progress plain down", columns: 70).Ok("compose down --progress plain").Stdout;
        Assert.Contains(" Container ttyapp-app-1 Removed ", plain);
        Assert.DoesNotContain("\x1b[", plain);
    }
}
