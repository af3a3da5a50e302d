using Berth.Compose.Loading;

namespace Berth.Compose.Tests;

public sealed class InterpolationTests
{
    private static readonly Dictionary<string, string> Env = new() { ["SET"] = "value", ["EMPTY"] = "" };

    private static string Substitute(string text, List<string>? warnings = null) =>
        new Interpolation(Env.GetValueOrDefault, w => warnings?.Add(w)).Substitute(text, "compose.yaml", "services.web.image");

    [Theory]
    [InlineData("$SET", "value")]
    [InlineData("${SET}", "value")]
    [InlineData("a${SET}b", "avalueb")]
    [InlineData("${UNSET:-default}", "default")]
    [InlineData("${EMPTY:-default}", "default")]
    [InlineData("${EMPTY-default}", "")]
    [InlineData("${UNSET-default}", "default")]
    [InlineData("${SET:-default}", "value")]
    [InlineData("${SET:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("$$SET", "$SET")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("${SET:?must be set}", "value")]
    public void Substitutes_as_compose_does(string text, string expected) => Assert.Equal(expected, Substitute(text));

    [Fact]
    public void An_unset_variable_is_blank_with_a_warning()
    {
        var warnings = new List<string>();
        Assert.Equal("x-", Substitute("x-$UNSET", warnings));
        Assert.Equal(["The \"UNSET\" variable is not set. Defaulting to a blank string."], warnings);
    }

    [Theory]
    [InlineData("${UNSET:?you must set it}", "required variable UNSET is missing a value: you must set it")]
    [InlineData("${EMPTY:?}", "required variable EMPTY is missing a value")]
    [InlineData("${UNSET?gone}", "required variable UNSET is missing a value: gone")]
    public void A_required_variable_that_is_missing_fails_with_the_path(string text, string reason)
    {
        var e = Assert.Throws<ComposeException>(() => Substitute(text));
        Assert.Equal(reason, e.Reason);
        Assert.Equal("services.web.image", e.YamlPath);
        Assert.Equal("compose.yaml", e.File);
    }

    [Fact]
    public void An_empty_variable_name_is_invalid() =>
        Assert.Contains("invalid interpolation format", Assert.Throws<ComposeException>(() => Substitute("${}")).Message);

    [Fact]
    public void An_empty_value_is_allowed_by_the_plain_question_mark() => Assert.Equal("", Substitute("${EMPTY?x}"));
}
