using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class SystemPruneCommandTests
{
    [Fact]
    public async Task Prunes_in_dockers_order_with_the_same_filters_and_sums_the_space()
    {
        var cli = new TestCli();
        cli.Client.PruneReports["Network"] = """{"NetworksDeleted":["n1"]}""";
        cli.Client.PruneReports["Volume"] = """{"VolumesDeleted":["v1"],"SpaceReclaimed":1000}""";
        cli.Client.PruneReports["BuildCache"] = """{"CachesDeleted":[],"SpaceReclaimed":0}""";
        Assert.Equal(0, await cli.RunAsync("system", "prune", "-f", "--volumes", "--filter", "label=a"));
        Assert.Equal("Deleted Containers:\nc1\n\nDeleted Networks:\nn1\n\nDeleted Volumes:\nv1\n\nTotal reclaimed space: 3kB\n", cli.Stdout);
        Assert.Equal(
        [
            "ContainerPrune filters={\"label\":{\"a\":true}}",
            "NetworkPrune filters={\"label\":{\"a\":true}}",
            "VolumePrune filters={\"label\":{\"a\":true}}",
            "ImagePrune filters={\"dangling\":{\"true\":true},\"label\":{\"a\":true}}",
            "BuildCachePrune filters={\"label\":{\"a\":true}}",
        ], cli.Client.Calls);
    }

    [Fact]
    public async Task Asks_first_and_stops_at_the_first_failure_as_docker_does()
    {
        var cli = new TestCli { Stdin = new MemoryStream("n\n"u8.ToArray()) };
        Assert.Equal(0, await cli.RunAsync("system", "prune", "-a"));
        Assert.Equal("WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n" +
            "  - all images without at least one container associated to them\n  - all build cache\n\nAre you sure you want to continue? [y/N] ", cli.Stdout);
        Assert.Empty(cli.Client.Calls);

        Assert.Equal(1, await cli.RunAsync("system", "prune", "-f"));
        Assert.Equal("Deleted Containers:\nc1\n\n", cli.Stdout);
        Assert.Equal("Error response from daemon: page not found\n", cli.Stderr);
    }

    [Fact]
    public async Task Builder_prune_asks_then_reports_what_the_daemon_deleted()
    {
        var cli = new TestCli { Stdin = new MemoryStream("n\n"u8.ToArray()) };
        Assert.Equal(0, await cli.RunAsync("builder", "prune", "-a"));
        Assert.Equal("WARNING! This will remove all build cache. Are you sure you want to continue? [y/N] ", cli.Stdout);
        Assert.Empty(cli.Client.Calls);

        cli.Client.PruneReports["BuildCache"] = """{"CachesDeleted":["c1","c2"],"SpaceReclaimed":2048}""";
        Assert.Equal(0, await cli.RunAsync("builder", "prune", "-f", "--filter", "until=24h", "--keep-storage", "1g"));
        Assert.Equal("Deleted build cache objects:\nc1\nc2\n\nTotal reclaimed space: 2.048kB\n", cli.Stdout);
        Assert.Equal(["BuildCachePrune filters={\"until\":{\"24h\":true}}"], cli.Client.Calls);
    }
}
