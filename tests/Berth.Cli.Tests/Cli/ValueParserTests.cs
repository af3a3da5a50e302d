using Berth.Cli.Cli;

namespace Berth.Cli.Tests.Cli;

public sealed class ValueParserTests
{
    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("1.5g", 1536L * 1024 * 1024)]
    [InlineData("64MB", 64L * 1024 * 1024)]
    [InlineData("10k", 10240L)]
    public void Sizes_are_binary_multiples(string text, long bytes) => Assert.Equal(bytes, ValueParsers.RamInBytes(text));

    [Fact]
    public void A_bad_size_says_so() =>
        Assert.Equal("invalid size: 'lots'", Assert.Throws<FormatException>(() => ValueParsers.RamInBytes("lots")).Message);

    [Theory]
    [InlineData("30s", 30_000_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("0", 0L)]
    public void Durations_follow_go(string text, long nanos) => Assert.Equal(nanos, ValueParsers.DurationNanos(text));

    [Theory]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("5x")]
    public void Bad_durations_fail(string text) => Assert.Throws<FormatException>(() => ValueParsers.DurationNanos(text));

    [Fact]
    public void Cpus_become_nano_cpus() => Assert.Equal(1_500_000_000L, ValueParsers.NanoCpus("1.5"));

    [Fact]
    public void Ulimits_take_soft_and_hard() => Assert.Equal(("nofile", 1024L, 2048L), ValueParsers.Ulimit("nofile=1024:2048"));

    [Theory]
    [InlineData("on-failure:3", "on-failure", 3)]
    [InlineData("always", "always", 0)]
    [InlineData("", "no", 0)]
    public void Restart_policies_parse(string text, string name, int count) => Assert.Equal((name, count), ValueParsers.RestartPolicy(text));

    [Fact]
    public void A_bare_env_name_takes_the_clis_own_value_when_set()
    {
        Assert.Equal("HOME=/root", ValueParsers.Env("HOME", n => n == "HOME" ? "/root" : null));
        Assert.Equal("UNSET", ValueParsers.Env("UNSET", _ => null));
    }

    [Fact]
    public void Relative_since_becomes_unix_seconds_before_now()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("1735689000.000000000", Timestamps.Resolve("10m", now));
        Assert.Equal("1700000000", Timestamps.Resolve("1700000000", now));
        Assert.Equal("1735689600.000000000", Timestamps.Resolve("2025-01-01T00:00:00Z", now));
    }
}
