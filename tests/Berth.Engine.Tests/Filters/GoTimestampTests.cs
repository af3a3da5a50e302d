namespace Berth.Engine.Tests.Filters;

public sealed class GoTimestampTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.FromHours(1));

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("2s500ms", 2.5)]
    [InlineData("-1h", -3600)]
    public void Durations_count_back_from_now(string value, double seconds)
    {
        Assert.Equal(Now.AddSeconds(-seconds), GoTimestamp.Parse(value, Now));
    }

    [Theory]
    [InlineData("1700000000", 1700000000, 0)]
    [InlineData("1700000000.5", 1700000000, 5_000_000)]
    [InlineData("0", 0, 0)]
    public void Unix_seconds_with_a_fraction(string value, long seconds, long ticks)
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks), GoTimestamp.Parse(value, Now));
    }

    [Fact]
    public void Dates_without_a_zone_are_in_the_reference_zone()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, Now.Offset), GoTimestamp.Parse("2026-01-02", Now));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, Now.Offset), GoTimestamp.Parse("2026-01-02T03:04:05", Now));
    }

    [Fact]
    public void Dates_with_a_zone_keep_it()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), GoTimestamp.Parse("2026-01-02T03:04:05Z", Now));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), GoTimestamp.Parse("2026-01-02T03:04:05+02:00", Now));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 500, TimeSpan.Zero), GoTimestamp.Parse("2026-01-02T03:04:05.5Z", Now));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("10x")]
    [InlineData("2026-13-45")]
    [InlineData("")]
    public void Anything_else_is_refused(string value)
    {
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => GoTimestamp.Parse(value, Now)).Kind);
    }

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("0", 0)]
    [InlineData("300ms", 0.3)]
    [InlineData("1us", 0.000001)]
    public void Go_durations(string value, double seconds)
    {
        Assert.True(GoTimestamp.TryParseDuration(value, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("h")]
    [InlineData("1hh")]
    [InlineData(".h")]
    public void Not_go_durations(string value)
    {
        Assert.False(GoTimestamp.TryParseDuration(value, out _));
    }
}
