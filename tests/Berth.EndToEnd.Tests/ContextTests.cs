using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary><c>berth --context</c>, <c>DOCKER_CONTEXT</c> and <c>context use</c> choose between two daemons, as docker's do.</summary>
public sealed class ContextTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _one;
    private readonly DaemonProcess _two = new();
    private readonly string _config = Directory.CreateTempSubdirectory("berth-contexts-").FullName;

    public ContextTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _one = daemon;
    }

    public void Dispose()
    {
        _two.Dispose();
        Directory.Delete(_config, recursive: true);
    }

    private CommandResult Berth(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Commands.Run(RepoPaths.Cli, args, environment: new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["DOCKER_CONFIG"] = _config,
        });

    [PrivilegedFact]
    public void A_context_names_the_daemon_each_command_goes_to()
    {
        _one.SeedBusybox("only-on-one:1");
        _two.SeedBusybox("only-on-two:1");
        Berth(null, "context", "create", "one", "--docker", $"host={_one.Host}").Ok("context create one");
        Berth(null, "context", "create", "two", "--docker", $"host={_two.Host}").Ok("context create two");

        Assert.Contains("only-on-one", Berth(null, "--context", "one", "images", "--format", "{{.Repository}}").Ok("--context one").Output);
        Assert.DoesNotContain("only-on-one", Berth(null, "--context", "two", "images", "--format", "{{.Repository}}").Ok("--context two").Output);
        Assert.Contains("only-on-two",
            Berth(new Dictionary<string, string> { ["DOCKER_CONTEXT"] = "two" }, "images", "--format", "{{.Repository}}").Ok("DOCKER_CONTEXT").Output);

        Berth(null, "context", "use", "two").Ok("context use two");
        Assert.Equal("two", Berth(null, "context", "show").Ok("context show").Output);
        Assert.Contains("only-on-two", Berth(null, "images", "--format", "{{.Repository}}").Ok("current context").Output);
        Assert.Contains("only-on-one", Berth(null, "-H", _one.Host, "images", "--format", "{{.Repository}}").Ok("-H wins").Output);
    }
}
