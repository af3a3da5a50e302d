using Berth.Api.Models.Streams;
using Berth.Cli.Commands.Container;
using Berth.Cli.Formatting;

namespace Berth.Cli.Tests.Formatting;

public sealed class ProgressBarTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_000_100);

    [Fact]
    public void Wide_terminals_get_dockers_50_column_bar_with_its_arrow()
    {
        var half = new JsonProgress { Current = 5_000_000, Total = 10_000_000 };
        Assert.Equal("[=========================>                         ]      5MB/10MB", ProgressBar.Render(half, 150, Now));
        var done = new JsonProgress { Current = 10_000_000, Total = 10_000_000 };
        Assert.Equal("[==================================================>]     10MB/10MB", ProgressBar.Render(done, 150, Now));
    }

    [Fact]
    public void Terminals_of_110_columns_or_fewer_get_no_bar()
    {
        var half = new JsonProgress { Current = 5_000_000, Total = 10_000_000 };
        Assert.Equal("     5MB/10MB", ProgressBar.Render(half, 110, Now));
        Assert.Equal("     5MB/10MB", ProgressBar.Render(half, 80, Now));
    }

    [Fact]
    public void Time_left_from_the_start_on_terminals_wider_than_50()
    {
        var quarter = new JsonProgress { Current = 25, Total = 100, Start = 1_000_000, Units = "items" };
        Assert.Equal("25/100 items 5m0s", ProgressBar.Render(quarter, 80, Now));
        Assert.Equal("25/100 items", ProgressBar.Render(quarter, 50, Now));
        Assert.Equal("", ProgressBar.Render(new JsonProgress(), 80, Now));
        Assert.Equal("   1.5kB", ProgressBar.Render(new JsonProgress { Current = 1500 }, 80, Now));
    }

    [Fact]
    public void Stats_repaint_in_place_as_docker_does()
    {
        Assert.Equal("\x1b[HA\nB\n\x1b[HA \x1b[K\nB \x1b[K\n \x1b[K\n\x1b[J", StatsCommand.Repaint("A\nB\n"));
    }
}
