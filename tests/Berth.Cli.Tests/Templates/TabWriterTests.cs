using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Templates;

/// <summary>Alignment as Go's tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) gives it to docker.</summary>
public sealed class TabWriterTests
{
    [Theory]
    [InlineData("CONTAINER ID\tIMAGE\tNAMES\nabc123\tnginx:latest\tweb\ndef\tredis\tcache-server-long-name\n",
        "CONTAINER ID   IMAGE          NAMES\nabc123         nginx:latest   web\ndef            redis          cache-server-long-name\n")]
    [InlineData("A\tB\nx\ty\n", "A         B\nx         y\n")]
    [InlineData("NAME\tSTATUS\nno-tabs-here\nlonger-name\tUp 2 hours\n", "NAME      STATUS\nno-tabs-here\nlonger-name   Up 2 hours\n")]
    [InlineData("a\tb\tc\nlong-first-cell\tb\n\tx\ty\n", "a                 b         c\nlong-first-cell   b\n                  x         y\n")]
    [InlineData("héllo\twörld\nx\ty\n", "héllo     wörld\nx         y\n")]
    [InlineData("a\tb\t\nc\td\t\n", "a         b         \nc         d         \n")]
    [InlineData("trailing", "trailing")]
    [InlineData("ID\tNAME\n", "ID        NAME\n")]
    public void Aligns_as_go_does(string input, string expected)
    {
        var output = new StringWriter();
        var writer = new TabWriter(output);
        writer.Write(input);
        writer.Flush();
        Assert.Equal(expected, output.ToString());
    }

    [Fact]
    public void Buffers_until_a_line_without_tabs_or_a_flush()
    {
        var output = new StringWriter();
        var writer = new TabWriter(output);
        writer.Write("a\tb\n");
        Assert.Equal("", output.ToString());
        writer.Write("plain\n");
        Assert.Equal("a         b\nplain\n", output.ToString());
    }
}
