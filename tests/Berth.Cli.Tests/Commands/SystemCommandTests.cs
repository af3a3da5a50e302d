using Berth.Api.Models.Events;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class SystemCommandTests
{
    [Fact]
    public async Task Version_prints_client_and_server()
    {
        var cli = new TestCli();
        cli.Client.Version.Components.Add(new() { Name = "Engine", Version = "25.0.0" });
        Assert.Equal(0, await cli.RunAsync("version"));
        Assert.Contains(" API version:       1.44\n", cli.Stdout);
        Assert.Contains(" Engine:\n  Version:          25.0.0\n  API version:      1.44 (minimum version 1.24)\n", cli.Stdout);
    }

    [Fact]
    public async Task Version_format_reaches_client_and_server_fields()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("version", "--format", "{{.Server.Version}} {{.Client.APIVersion}} {{.Server.APIVersion}} {{.Client.Context}}"));
        Assert.Equal("25.0.0 1.44 1.44 default\n", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("version", "--format", "{{json .Client}}"));
        Assert.Contains("\"ApiVersion\":\"1.44\"", cli.Stdout);
        Assert.DoesNotContain("\"APIVersion\"", cli.Stdout);
    }

    [Fact]
    public async Task Version_reports_the_clients_build()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("version"));
        Assert.Matches(@" Git commit:        [0-9a-f]{7,}\n Built:             \w{3} \w{3} \d{1,2} \d\d:\d\d:\d\d \d{4}\n", cli.Stdout);
    }

    [Fact]
    public async Task A_bad_template_exits_64()
    {
        var cli = new TestCli();
        Assert.Equal(64, await cli.RunAsync("version", "--format", "{{.Client"));
        Assert.StartsWith("template parsing error: ", cli.Stderr);
    }

    [Fact]
    public async Task Info_format()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("info", "--format", "{{.ServerVersion}} {{.Name}}"));
        Assert.Equal("25.0.0 host\n", cli.Stdout);
    }

    [Fact]
    public async Task Events_print_one_line_each_with_sorted_attributes()
    {
        var cli = new TestCli();
        cli.Client.Events.Add(new EventMessage
        {
            Type = "container", Action = "start", Actor = new() { ID = "abc", Attributes = { ["name"] = "web", ["image"] = "busybox" } },
            Time = 1700000000, TimeNano = 1700000000_123456789,
        });
        Assert.Equal(0, await cli.RunAsync("events", "--filter", "event=start"));
        Assert.EndsWith(".123456789Z container start abc (image=busybox, name=web)\n", cli.Stdout.Replace("+00:00", "Z"));
        Assert.Contains("filters={\"event\":{\"start\":true}}", cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Global_host_flag_is_read_before_the_command()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("-H", "unix:///tmp/x.sock", "--log-level", "debug", "-D", "ps", "-q"));
    }
}
