using Berth.Testing;

namespace Berth.EndToEnd.Tests.Registries;

/// <summary>
/// berthd against a registry we did not write: Debian's <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 with
/// htpasswd Basic auth, and with Docker's token auth whose tokens our registry issues. Login, push, pull and run,
/// driven by the docker CLI and by ours.
/// </summary>
public sealed class ReferenceRegistryTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly RegistryProcess _registry;
    private readonly string _config = Directory.CreateTempSubdirectory("docker-config-").FullName;

    public ReferenceRegistryTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
        _registry = RegistryProcess.Reference();
    }

    public void Dispose()
    {
        _registry.Dispose();
        Directory.Delete(_config, recursive: true);
    }

    private CommandResult Docker(string? stdin, params string[] args) => _daemon.DockerWithConfig(_config, stdin, args);

    private CommandResult Berth(string? stdin, params string[] args) =>
        Commands.Run(RepoPaths.Cli, ["-H", _daemon.Host, .. args], stdin, environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config });

    [PrivilegedFact]
    public void The_docker_cli_logs_in_pushes_and_pulls_through_berthd()
    {
        var remote = $"{_registry.Address}/reference/box:1";
        var wrong = Docker("nope\n", "login", "-u", RegistryProcess.User, "--password-stdin", _registry.Address);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"login attempt to http://{_registry.Address}/v2/ failed with status: 401 Unauthorized", wrong.Stderr);

        Docker(RegistryProcess.Password + "\n", "login", "-u", RegistryProcess.User, "--password-stdin", _registry.Address).Ok("login");
        var id = Docker(null, "image", "inspect", "-f", "{{.Id}}", "busybox").Output;
        Docker(null, "tag", "busybox", remote).Ok("tag");
        var push = Docker(null, "push", remote).Ok("push").Output;
        Assert.Matches(@"1: digest: sha256:[0-9a-f]{64} size: \d+", push);
        Docker(null, "rmi", remote).Ok("rmi");
        Assert.Contains("Downloaded newer image", Docker(null, "pull", remote).Ok("pull").Output);
        Assert.Equal(id, Docker(null, "image", "inspect", "-f", "{{.Id}}", remote).Output);
        Assert.Equal("from 2.8", Docker(null, "run", "--rm", remote, "echo", "from 2.8").Ok("run").Output);
        Docker(null, "rmi", remote).Ok("rmi");
    }

    [PrivilegedFact]
    public void The_berth_cli_logs_in_pushes_and_pulls()
    {
        var remote = $"{_registry.Address}/reference/berth:2";
        Assert.Contains("Login Succeeded",
            Berth(RegistryProcess.Password + "\n", "login", "-u", RegistryProcess.User, "--password-stdin", _registry.Address).Ok("login").Output);
        Berth(null, "tag", "busybox", remote).Ok("tag");
        Assert.Matches(@"2: digest: sha256:[0-9a-f]{64} size: \d+", Berth(null, "push", remote).Ok("push").Output);
        Berth(null, "rmi", remote).Ok("rmi");
        Assert.Contains("Downloaded newer image", Berth(null, "pull", remote).Ok("pull").Output);
        Berth(null, "rmi", remote).Ok("rmi");

        Assert.Contains($"Removing login credentials for {_registry.Address}", Berth(null, "logout", _registry.Address).Ok("logout").Output);
        var denied = Berth(null, "pull", remote);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("may require 'docker login'", denied.Stderr);
    }

    [PrivilegedFact]
    public void Token_auth_with_tokens_our_registry_issues()
    {
        using var issuer = RegistryProcess.Berth(auth: RegistryAuthMode.Token, service: "reference-registry");
        using var registry = RegistryProcess.Reference(tokenIssuer: issuer);
        var remote = $"{registry.Address}/tokens/box:1";
        var wrong = Docker("nope\n", "login", "-u", RegistryProcess.User, "--password-stdin", registry.Address);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("unauthorized", wrong.Stderr);

        Docker(RegistryProcess.Password + "\n", "login", "-u", RegistryProcess.User, "--password-stdin", registry.Address).Ok("login");
        Docker(null, "tag", "busybox", remote).Ok("tag");
        Docker(null, "push", remote).Ok("push with a token");
        Docker(null, "rmi", remote).Ok("rmi");
        Assert.Equal("token", Docker(null, "run", "--rm", remote, "echo", "token").Ok("run after a pull with a token").Output);
        Docker(null, "rmi", remote).Ok("rmi");
    }
}
