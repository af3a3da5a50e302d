namespace Berth.Engine.Tests.Filters;

public sealed class PruneFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static PruneFilter Parse(params (string Key, string Value)[] pairs) =>
        PruneFilter.Parse(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Value)]), Now);

    private static readonly Dictionary<string, string> Labelled = new() { ["tier"] = "web", ["team"] = "a" };

    [Fact]
    public void No_filter_selects_everything()
    {
        Assert.True(Parse().Matches(new Dictionary<string, string>(), Now));
    }

    [Theory]
    [InlineData("tier", true)]
    [InlineData("tier=web", true)]
    [InlineData("tier=db", false)]
    [InlineData("nosuch", false)]
    public void Label_selects_objects_that_carry_it(string label, bool selected)
    {
        Assert.Equal(selected, Parse(("label", label)).Matches(Labelled, Now));
    }

    [Fact]
    public void Several_labels_must_all_match_and_label_not_keeps_what_matches_them_all()
    {
        Assert.False(Parse(("label", "tier"), ("label", "nosuch")).Matches(Labelled, Now));
        Assert.False(Parse(("label!", "tier=web")).Matches(Labelled, Now));
        Assert.True(Parse(("label!", "tier=web"), ("label!", "nosuch")).Matches(Labelled, Now));
        Assert.True(Parse(("label!", "tier")).Matches(new Dictionary<string, string>(), Now));
    }

    [Fact]
    public void Until_keeps_what_was_created_after_it()
    {
        var filter = Parse(("until", "1h"));
        Assert.True(filter.Matches(Labelled, Now.AddHours(-2)));
        Assert.False(filter.Matches(Labelled, Now.AddMinutes(-30)));
    }

    [Fact]
    public void Unknown_keys_and_two_untils_are_refused()
    {
        var unknown = Assert.Throws<EngineException>(() => Parse(("dangling", "true")));
        Assert.Equal("invalid filter 'dangling'", unknown.Message);
        Assert.Equal(ErrorKind.InvalidArgument, unknown.Kind);
        Assert.Equal("more than one until filter specified", Assert.Throws<EngineException>(() => Parse(("until", "1h"), ("until", "2h"))).Message);
        Assert.NotNull(PruneFilter.Parse(new Dictionary<string, IReadOnlyList<string>> { ["dangling"] = ["true"] }, Now, "dangling"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void Dangling_reads_as_moby_reads_it(string? value, bool expected)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        if (value is not null) filters["dangling"] = [value];
        Assert.Equal(expected, FilterArgs.Bool(filters, "dangling") ?? true);
    }

    [Fact]
    public void Dangling_with_another_value_or_both_is_refused()
    {
        var maybe = new Dictionary<string, IReadOnlyList<string>> { ["dangling"] = ["maybe"] };
        Assert.Equal("invalid filter 'dangling=[maybe]'", Assert.Throws<EngineException>(() => FilterArgs.Bool(maybe, "dangling")).Message);
        var both = new Dictionary<string, IReadOnlyList<string>> { ["dangling"] = ["true", "false"] };
        Assert.Throws<EngineException>(() => FilterArgs.Bool(both, "dangling"));
    }
}
