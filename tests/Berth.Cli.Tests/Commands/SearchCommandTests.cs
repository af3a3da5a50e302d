using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class SearchCommandTests
{
    [Fact]
    public async Task Results_print_in_dockers_columns_with_descriptions_cut()
    {
        var cli = new TestCli
        {
            Client =
            {
                SearchResults = """
                    [{"name":"busybox","description":"Busybox base image.\nSmall.","star_count":3200,"is_official":true,"is_automated":false},
                     {"name":"me/tool","description":"A description that is a good deal longer than forty-five characters","star_count":1,"is_official":false}]
                    """,
            },
        };
        Assert.Equal(0, await cli.RunAsync("search", "--limit", "2", "busy"));
        Assert.Equal("""
            NAME      DESCRIPTION                                     STARS     OFFICIAL
            busybox   Busybox base image. Small.                      3200      [OK]
            me/tool   A description that is a good deal longer tha…   1         

            """, cli.Stdout);
        Assert.Equal("Search busy limit=2 filters={}", cli.Client.Calls.Single());
        Assert.Equal(0, await cli.RunAsync("search", "--format", "{{json .}}", "busy"));
        Assert.StartsWith("{\"Description\":\"Busybox base image. Small.\",\"IsAutomated\":\"\",\"IsOfficial\":\"[OK]\",\"Name\":\"busybox\",\"StarCount\":\"3200\"}\n", cli.Stdout);
    }
}
