using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Compose against berthd, with <c>berth compose</c> and with Debian's docker-compose 1.29 on the same file: a one-shot
/// init job that writes a named volume, a busybox httpd that waits for it (service_completed_successfully) and has a
/// healthcheck, a client built from a Dockerfile (<c>build:</c>) that waits for the web to be healthy and reaches it
/// by service name on a custom network; three web replicas; <c>up</c> again recreating only the changed service; and
/// <c>down -v</c> leaving no container, network, volume, bridge or iptables rule behind.
/// </summary>
public sealed class ComposeTests : IClassFixture<DaemonProcess>
{
    private const string DockerCompose = "/usr/bin/docker-compose";
    private readonly DaemonProcess _daemon;

    public ComposeTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private const string Application = """
        x-box: &box
          image: busybox
        services:
          init:
            <<: *box
            command: ["sh", "-c", "echo initialised > /data/ready"]
            volumes: [data:/data]
          web:
            <<: *box
            command: ["sh", "-c", "mkdir -p /www && cp /data/ready /www/index.html && exec httpd -f -p 80 -h /www"]
            volumes: ["data:/data:ro"]
            networks: [back]
            depends_on:
              init: {condition: service_completed_successfully}
            healthcheck:
              test: ["CMD-SHELL", "pidof httpd"]
              interval: 1s
          client:
            build: ./client
            links: ["web:www"]
            environment:
              ROUND: "${ROUND:-1}"
            command: ["sh", "-c", "for i in $$(seq 20); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 web 80 | tail -n 1 | grep . && break; sleep 0.3; done; exec sleep 300"]
            networks: [back]
            depends_on:
              web: {condition: service_healthy}
        networks:
          back: {}
        volumes:
          data: {}
        """;

    private string ProjectDirectory(string name)
    {
        var directory = Path.Combine(_daemon.Directory, name);
        Directory.CreateDirectory(Path.Combine(directory, "client"));
        File.WriteAllText(Path.Combine(directory, "compose.yaml"), Application);
        File.WriteAllText(Path.Combine(directory, "client", "Dockerfile"), "FROM busybox\nRUN echo built > /built\n");
        return directory;
    }

    private CommandResult Compose(string directory, params string[] args) =>
        Commands.Run(RepoPaths.Cli, ["-H", _daemon.Host, "compose", "--project-directory", directory, .. args], timeoutSeconds: 120);

    private CommandResult Compose129(string directory, params string[] args) =>
        Commands.Run(DockerCompose, ["--project-directory", directory, "-f", Path.Combine(directory, "compose.yaml"), .. args], timeoutSeconds: 120,
            environment: new Dictionary<string, string> { ["DOCKER_HOST"] = _daemon.Host, ["COMPOSE_INTERACTIVE_NO_CLI"] = "1" });

    private string[] Labelled(string kind, string project) =>
        _daemon.Docker(kind, "ls", "-q", "--filter", $"label=com.docker.compose.project={project}").Ok($"{kind} ls").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string[] Containers(string project) =>
        _daemon.Docker("ps", "-aq", "--filter", $"label=com.docker.compose.project={project}").Ok("ps").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The host bridges of the project's networks (<c>br-</c> and 12 hex of the id).</summary>
    private string[] Bridges(string project) => Labelled("network", project).Select(id => "br-" + id[..12]).ToArray();

    /// <summary>After <c>down -v</c>: no container, network, volume, bridge, or iptables rule naming a bridge.</summary>
    private void AssertNothingLeft(string project, string[] bridges)
    {
        Assert.Empty(Containers(project));
        Assert.Empty(Labelled("network", project));
        Assert.Empty(Labelled("volume", project));
        var rules = Commands.Run("iptables-save", []).Ok("iptables-save").Output;
        Assert.All(bridges, bridge =>
        {
            Assert.False(HostNetworks.LinkExists(bridge), $"{bridge} is left");
            Assert.DoesNotContain(bridge, rules);
        });
    }

    private CommandResult ComposeRound2(string directory, params string[] args) =>
        Commands.Run(RepoPaths.Cli, ["-H", _daemon.Host, "compose", "--project-directory", directory, .. args],
            timeoutSeconds: 120, environment: new Dictionary<string, string> { ["ROUND"] = "2" });

    private CommandResult Compose129Round2(string directory, params string[] args) =>
        Commands.Run(DockerCompose, ["--project-directory", directory, "-f", Path.Combine(directory, "compose.yaml"), .. args], timeoutSeconds: 120,
            environment: new Dictionary<string, string> { ["DOCKER_HOST"] = _daemon.Host, ["COMPOSE_INTERACTIVE_NO_CLI"] = "1", ["ROUND"] = "2" });

    /// <summary>The container names <c>berth compose ps -a</c> lists.</summary>
    private string[] BerthNames(string app) =>
        Compose(app, "ps", "-a").Ok("compose ps -a").Output.Split('\n').Skip(1).Select(l => l.Split(' ')[0]).Order().ToArray();

    /// <summary>The container names <c>docker-compose ps</c> (1.29: stopped ones too) lists, after its ---- line.</summary>
    private string[] Compose129Names(string app) =>
        Compose129(app, "ps").Ok("docker-compose ps").Output.Split('\n').SkipWhile(l => !l.StartsWith("---", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Split(' ')[0]).Order().ToArray();

    [PrivilegedFact]
    public void Up_ps_logs_recreate_scale_and_down_with_berth_compose()
    {
        var app = ProjectDirectory("bapp");
        var up = Compose(app, "up", "-d").Ok("compose up -d");
        Assert.Contains(" Network bapp_back Created", up.Stderr);
        Assert.Contains(" Volume bapp_data Created", up.Stderr);
        Assert.Contains(" Image bapp-client Built", up.Stderr);
        Assert.Contains(" Container bapp-init-1 Exited", up.Stderr);
        Assert.Contains(" Container bapp-web-1 Healthy", up.Stderr);
        Assert.Contains(" Container bapp-client-1 Started", up.Stderr);

        var ps = Compose(app, "ps").Ok("compose ps").Output.Split('\n');
        Assert.StartsWith("NAME", ps[0]);
        Assert.Equal(["bapp-client-1", "bapp-web-1"], ps.Skip(1).Select(l => l.Split(' ')[0]));
        Assert.Equal(3, Compose(app, "ps", "-a", "-q").Ok("compose ps -a").Output.Split('\n').Length);
        Assert.Equal("client-1  | initialised", Compose(app, "logs", "--no-color", "client").Ok("compose logs").Output);
        Assert.Equal("built", Compose(app, "exec", "-T", "client", "cat", "/built").Ok("exec in the built service").Output);
        Assert.Equal("initialised", Compose(app, "exec", "-T", "client", "wget", "-qO-", "http://www/").Ok("exec wget by the link").Output);

        var again = Compose(app, "up", "-d").Ok("compose up again");
        Assert.DoesNotContain("Recreate", again.Stderr);
        Assert.Contains(" Container bapp-web-1 Running", again.Stderr);
        var changed = ComposeRound2(app, "up", "-d", "--scale", "web=3").Ok("compose up with a change");
        Assert.Contains(" Container bapp-client-1 Recreate", changed.Stderr);
        Assert.DoesNotContain("bapp-web-1 Recreate", changed.Stderr);
        Assert.Contains(" Container bapp-web-3 Healthy", changed.Stderr);
        Assert.Equal(["bapp-client-1", "bapp-web-1", "bapp-web-2", "bapp-web-3"],
            Compose(app, "ps").Ok("compose ps").Output.Split('\n').Skip(1).Select(l => l.Split(' ')[0]));

        var run = Compose(app, "run", "--rm", "--no-deps", "client", "sh", "-c", "echo one-off; exit 4");
        Assert.Equal((4, "one-off"), (run.ExitCode, run.Output));
        var projects = Compose(app, "ls").Ok("compose ls").Output.Split('\n');
        Assert.Contains(projects, l => l.StartsWith("bapp ", StringComparison.Ordinal) && l.Contains("exited(1), running(4)", StringComparison.Ordinal));

        var bridges = Bridges("bapp");
        Assert.Equal(2, bridges.Length);
        ComposeRound2(app, "down", "-v").Ok("compose down -v");
        AssertNothingLeft("bapp", bridges);
    }

    [PrivilegedFact]
    public void Docker_compose_129_runs_the_same_file_and_both_tools_see_one_project()
    {
        Assert.True(File.Exists(DockerCompose), "docker-compose is missing: run scripts/setup.sh");
        var app = ProjectDirectory("dapp");
        Compose129(app, "up", "-d", "--scale", "web=3").Ok("docker-compose up -d");
        Assert.Equal(["dapp_client_1", "dapp_init_1", "dapp_web_1", "dapp_web_2", "dapp_web_3"], Compose129Names(app));
        Assert.Contains("initialised", Compose129(app, "logs", "--no-color", "client").Ok("docker-compose logs").Output);
        Assert.Equal("built", Compose129(app, "exec", "-T", "client", "cat", "/built").Ok("docker-compose exec").Output);
        Assert.Equal("initialised", Compose129(app, "exec", "-T", "client", "wget", "-qO-", "http://www/").Ok("docker-compose exec wget by the link").Output);

        var changed = Compose129Round2(app, "up", "-d", "--scale", "web=3").Ok("docker-compose up with a change");
        Assert.Contains("Recreating dapp_client_1", changed.Stderr);
        Assert.DoesNotContain("Recreating dapp_web", changed.Stderr);

        Assert.Equal(Compose129Names(app), BerthNames(app));
        Assert.Contains(Compose(app, "ls").Ok("compose ls").Output.Split('\n'), l => l.StartsWith("dapp ", StringComparison.Ordinal));

        var bridges = Bridges("dapp");
        Compose129Round2(app, "down", "-v").Ok("docker-compose down -v");
        AssertNothingLeft("dapp", bridges);
    }

    [PrivilegedFact]
    public void Docker_compose_129_sees_and_removes_a_project_berth_compose_started()
    {
        var app = ProjectDirectory("mixed");
        Compose(app, "up", "-d", "--scale", "web=2").Ok("berth compose up");
        Assert.Equal(["mixed-client-1", "mixed-init-1", "mixed-web-1", "mixed-web-2"], BerthNames(app));
        Assert.Equal(BerthNames(app), Compose129Names(app));
        var bridges = Bridges("mixed");
        Compose129(app, "down", "-v").Ok("docker-compose down -v");
        AssertNothingLeft("mixed", bridges);
    }
}
