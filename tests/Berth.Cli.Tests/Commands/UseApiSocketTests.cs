using System.Formats.Tar;
using System.Text;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary>
/// docker 28's <c>--use-api-socket</c>: the CLI's own unix socket mounted at /var/run/docker.sock, and its registry
/// credentials copied in after create as /run/secrets/docker/config.json with DOCKER_CONFIG pointing there.
/// </summary>
public sealed class UseApiSocketTests : IDisposable
{
    private const string Socket = "/tmp/berth-test/berth.sock";
    private readonly TempDirectory _dir = new();
    private readonly TestCli _cli = new();

    public UseApiSocketTests() => _cli.Environment["DOCKER_CONFIG"] = _dir.Path;

    public void Dispose() => _dir.Dispose();

    private Task<int> RunAsync(params string[] args) => _cli.RunAsync(["-H", "unix://" + Socket, .. args]);

    private void WriteLogins() => File.WriteAllText(_dir.Combine("config.json"), """
        {"auths": {"registry.example:5000": {"auth": "YWxpY2U6d29uZGVybGFuZA=="}, "https://index.docker.io/v1/": {"identitytoken": "t<k>"}}, "psFormat": "x"}
        """);

    /// <summary>The one file the tar copied in holds: its name, mode and text.</summary>
    private (string Name, UnixFileMode Mode, string Text) CopiedConfig()
    {
        var (container, path, _, _, tar) = Assert.Single(_cli.Client.CopiedIn);
        Assert.Equal((_cli.Client.CreatedId, "/"), (container, path));
        using var reader = new TarReader(new MemoryStream(tar));
        var entry = reader.GetNextEntry()!;
        Assert.Null(reader.GetNextEntry());
        return (entry.Name, entry.Mode, new StreamReader(entry.DataStream!, Encoding.UTF8).ReadToEnd());
    }

    [Fact]
    public async Task The_socket_is_mounted_and_the_logins_are_copied_in_after_create()
    {
        WriteLogins();
        Assert.Equal(0, await RunAsync("create", "--use-api-socket", "-e", "A=1", "busybox"));

        var request = _cli.Client.CreateRequests.Single();
        var mount = Assert.Single(request.HostConfig!.Mounts!);
        Assert.Equal(("bind", Socket, "/var/run/docker.sock"), (mount.Type, mount.Source, mount.Target));
        Assert.NotNull(mount.BindOptions);
        Assert.Equal(["A=1", "DOCKER_CONFIG=/run/secrets/docker"], request.Env);
        var (name, mode, text) = CopiedConfig();
        Assert.Equal("/run/secrets/docker/config.json", name);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal("{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\n\t\t\t\"identitytoken\": \"t\\u003ck\\u003e\"\n\t\t},\n"
            + "\t\t\"registry.example:5000\": {\n\t\t\t\"auth\": \"YWxpY2U6d29uZGVybGFuZA==\"\n\t\t}\n\t}\n}", text);
    }

    [Fact]
    public async Task Without_logins_only_the_socket_goes_in()
    {
        Assert.Equal(0, await RunAsync("create", "--use-api-socket", "busybox"));

        Assert.Single(_cli.Client.CreateRequests.Single().HostConfig!.Mounts!);
        Assert.DoesNotContain(_cli.Client.CreateRequests.Single().Env ?? [], e => e.StartsWith("DOCKER_CONFIG=", StringComparison.Ordinal));
        Assert.Empty(_cli.Client.CopiedIn);
    }

    [Fact]
    public async Task A_docker_config_of_the_containers_own_keeps_the_logins_out()
    {
        WriteLogins();
        Assert.Equal(0, await RunAsync("create", "--use-api-socket", "-e", "DOCKER_CONFIG=/mine", "busybox"));

        Assert.Equal(["DOCKER_CONFIG=/mine"], _cli.Client.CreateRequests.Single().Env);
        Assert.Empty(_cli.Client.CopiedIn);
    }

    [Fact]
    public async Task DOCKER_AUTH_CONFIG_wins_over_the_stored_logins()
    {
        WriteLogins();
        _cli.Environment["DOCKER_AUTH_CONFIG"] = """{"auths": {"other:1": {"auth": "Ym9iOnNlY3JldA=="}}}""";
        Assert.Equal(0, await RunAsync("create", "--use-api-socket", "busybox"));

        Assert.Contains("\"other:1\": {\n\t\t\t\"auth\": \"Ym9iOnNlY3JldA==\"\n\t\t}\n\t}", CopiedConfig().Text);
        Assert.DoesNotContain("registry.example", CopiedConfig().Text);
    }

    [Fact]
    public async Task A_malformed_DOCKER_AUTH_CONFIG_fails_before_create()
    {
        _cli.Environment["DOCKER_AUTH_CONFIG"] = "{nope";
        Assert.Equal(1, await RunAsync("create", "--use-api-socket", "busybox"));

        Assert.StartsWith("resolving credentials failed: failed to read credentials from DOCKER_AUTH_CONFIG: ", _cli.Stderr);
        Assert.Empty(_cli.Client.CreateRequests);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1", "tcp://127.0.0.1:2375")]
    [InlineData("ssh://me@example.test", "ssh://me@example.test")]
    public async Task Only_unix_sockets_can_be_mounted(string host, string named)
    {
        var message = $"flag --use-api-socket can only be used with unix sockets: docker endpoint {named} incompatible";
        Assert.Equal(1, await _cli.RunAsync("-H", host, "create", "--use-api-socket", "busybox"));
        Assert.Equal(message + "\n", _cli.Stderr);
        Assert.Equal(125, await _cli.RunAsync("-H", host, "run", "--use-api-socket", "busybox"));
        Assert.Equal($"berth: {message}\n\nRun 'berth run --help' for more information\n", _cli.Stderr);
        Assert.Empty(_cli.Client.CreateRequests);
    }
}
