using Berth.Cli.Cli;

namespace Berth.Cli.Tests.Cli;

public sealed class FlagSetTests
{
    private sealed class Probe
    {
        public bool I, T, D;
        public string Name = "";
        public readonly List<string> Env = [];
        public int N;

        public FlagSet Flags(bool interspersed = true)
        {
            var flags = new FlagSet { Interspersed = interspersed };
            flags.Bool("interactive", 'i', "", v => I = v);
            flags.Bool("tty", 't', "", v => T = v);
            flags.Bool("detach", 'd', "", v => D = v);
            flags.String("name", null, "", v => Name = v);
            flags.List("env", 'e', "", Env);
            flags.Int("last", 'n', "", v => N = v);
            return flags;
        }
    }

    [Fact]
    public void Combined_short_booleans_and_repeated_values_parse_as_docker_does()
    {
        var probe = new Probe();
        var rest = probe.Flags().Parse(["-it", "-e", "A=1", "-eB=2", "--env=C=3", "--name=web", "busybox", "sh"]);
        Assert.True(probe.I);
        Assert.True(probe.T);
        Assert.Equal(["A=1", "B=2", "C=3"], probe.Env);
        Assert.Equal("web", probe.Name);
        Assert.Equal(["busybox", "sh"], rest);
    }

    [Fact]
    public void Without_interspersing_the_first_argument_ends_the_flags()
    {
        var probe = new Probe();
        var rest = probe.Flags(interspersed: false).Parse(["-d", "busybox", "ls", "-la", "--name", "x"]);
        Assert.True(probe.D);
        Assert.Equal("", probe.Name);
        Assert.Equal(["busybox", "ls", "-la", "--name", "x"], rest);
    }

    [Fact]
    public void Double_dash_ends_flags_and_a_lone_dash_is_an_argument()
    {
        var probe = new Probe();
        var rest = probe.Flags().Parse(["-", "--", "-d"]);
        Assert.False(probe.D);
        Assert.Equal(["-", "-d"], rest);
    }

    [Fact]
    public void Bool_flags_take_explicit_values_and_ints_attach_to_shorthands()
    {
        var probe = new Probe();
        probe.Flags().Parse(["--detach=false", "-n5"]);
        Assert.False(probe.D);
        Assert.Equal(5, probe.N);
    }

    [Theory]
    [InlineData("--bogus", "unknown flag: --bogus")]
    [InlineData("-x", "unknown shorthand flag: 'x' in -x")]
    [InlineData("--name", "flag needs an argument: --name")]
    [InlineData("-e", "flag needs an argument: 'e' in -e")]
    [InlineData("-n=abc", "invalid argument \"abc\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax")]
    public void Errors_use_pflags_wording(string arg, string message)
    {
        var e = Assert.Throws<FlagException>(() => new Probe().Flags().Parse([arg]));
        Assert.Equal(message, e.Message);
    }
}
