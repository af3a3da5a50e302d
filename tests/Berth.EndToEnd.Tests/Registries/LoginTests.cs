using System.Text;
using System.Text.Json;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Registries;

/// <summary>
/// <c>docker login</c> through berthd (<c>POST /auth</c>), the credentials the docker CLI then keeps in its
/// config.json and sends with each push and pull, against our registry with htpasswd Basic auth and with token auth.
/// </summary>
public sealed class LoginTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly string _config = Directory.CreateTempSubdirectory("docker-config-").FullName;

    public LoginTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private CommandResult Docker(string? stdin, params string[] args) => _daemon.DockerWithConfig(_config, stdin, args);

    private CommandResult Login(RegistryProcess registry, string password) =>
        Docker(password + "\n", "login", "-u", RegistryProcess.User, "--password-stdin", registry.Address);

    [PrivilegedFact]
    public void Basic_auth_login_keeps_credentials_that_push_and_pull_use_and_logout_forgets()
    {
        using var registry = RegistryProcess.Berth(auth: RegistryAuthMode.Basic);
        var remote = $"{registry.Address}/private/box:1";
        Docker(null, "tag", "busybox", remote).Ok("tag");
        var anonymous = Docker(null, "push", remote);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("unauthorized", anonymous.Stderr + anonymous.Stdout);

        var wrong = Login(registry, "nope");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"Error response from daemon: login attempt to http://{registry.Address}/v2/ failed with status: 401 Unauthorized", wrong.Stderr);

        Assert.Contains("Login Succeeded", Login(registry, RegistryProcess.Password).Ok("login").Output);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(_config, "config.json"))))
        {
            var auth = config.RootElement.GetProperty("auths").GetProperty(registry.Address).GetProperty("auth").GetString()!;
            Assert.Equal($"{RegistryProcess.User}:{RegistryProcess.Password}", Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
        }
        Docker(null, "push", remote).Ok("push with credentials");
        Docker(null, "rmi", remote).Ok("rmi");
        Assert.Equal("pulled", Docker(null, "run", "--rm", remote, "echo", "pulled").Ok("run with an authenticated pull").Output);

        Assert.Contains($"Removing login credentials for {registry.Address}", Docker(null, "logout", registry.Address).Ok("logout").Output);
        Docker(null, "rmi", remote).Ok("rmi");
        var denied = Docker(null, "pull", remote);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("may require 'docker login'", denied.Stderr);
    }

    [PrivilegedFact]
    public void Token_auth_login_then_push_and_pull()
    {
        using var registry = RegistryProcess.Berth(auth: RegistryAuthMode.Token);
        var remote = $"{registry.Address}/tokens/box:1";
        var wrong = Login(registry, "nope");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"Error response from daemon: Get \"http://{registry.Address}/v2/\": unauthorized", wrong.Stderr);

        Login(registry, RegistryProcess.Password).Ok("login");
        Docker(null, "tag", "busybox", remote).Ok("tag");
        Assert.Matches(@"1: digest: sha256:[0-9a-f]{64}", Docker(null, "push", remote).Ok("push with a token").Output);
        Docker(null, "rmi", remote).Ok("rmi");
        Assert.Contains("Downloaded newer image", Docker(null, "pull", remote).Ok("pull with a token").Output);
        Docker(null, "rmi", remote).Ok("rmi");
    }
}
