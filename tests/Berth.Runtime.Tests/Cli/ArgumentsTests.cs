using Berth.Linux;
using Berth.Runtime.Cli;

namespace Berth.Runtime.Tests.Cli;

public sealed class ArgumentsTests
{
    [Fact]
    public void Go_style_flags_in_every_spelling_stop_at_the_first_positional()
    {
        var parsed = Arguments.Parse(["-b", "/x", "--pid-file=/p", "-detach", "id", "--not-a-flag"],
            Flag.Value("bundle", "b"), Flag.Value("pid-file"), Flag.Bool("detach", "d"));
        Assert.Equal("/x", parsed.Get("bundle"));
        Assert.Equal("/p", parsed.Get("pid-file"));
        Assert.True(parsed.Has("detach"));
        Assert.Equal(["id", "--not-a-flag"], parsed.Positionals);
    }

    [Fact]
    public void Repeatable_flags_collect_and_bools_can_be_turned_off()
    {
        var parsed = Arguments.Parse(["-e", "A=1", "--env", "B=2", "--tty=false", "--", "-id"], Flag.Many("env", "e"), Flag.Bool("tty", "t"));
        Assert.Equal(["A=1", "B=2"], parsed.GetAll("env"));
        Assert.False(parsed.Has("tty"));
        Assert.Equal(["-id"], parsed.Positionals);
    }

    [Fact]
    public void Unknown_flags_and_missing_values_are_usage_errors()
    {
        Assert.Equal("flag provided but not defined: -x", Assert.Throws<UsageException>(() => Arguments.Parse(["-x"])).Message);
        Assert.Throws<UsageException>(() => Arguments.Parse(["--bundle"], Flag.Value("bundle")));
    }

    [Theory]
    [InlineData("KILL", 9)]
    [InlineData("SIGTERM", 15)]
    [InlineData("sigusr1", 10)]
    [InlineData("9", 9)]
    [InlineData("RTMIN+2", 36)]
    public void Signals_parse_by_name_or_number(string name, int expected)
    {
        Assert.True(Signals.TryParse(name, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("NOPE")]
    [InlineData("0")]
    [InlineData("65")]
    public void Unknown_signals_are_refused(string name) => Assert.False(Signals.TryParse(name, out _));
}
