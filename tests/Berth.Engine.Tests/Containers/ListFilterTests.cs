using Berth.Engine.Containers;

namespace Berth.Engine.Tests.Containers;

public sealed class ListFilterTests
{
    [Theory]
    [InlineData("web", "/web", true)]
    [InlineData("we", "/web", true)]
    [InlineData("^/web$", "/web", true)]
    [InlineData("^/web$", "/webapp", false)]
    [InlineData("^web", "/web", false)]
    [InlineData("/web", "/web", true)]
    [InlineData("[", "/web", false)]
    [InlineData("[", "[", true)]
    public void Names_match_as_mobys_filters_match_them(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, FilterArgs.Matches(pattern, name));
    }
}
