using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Cli.Formatting;

namespace Berth.Cli.Tests.Formatting;

public sealed class FormattingTests
{
    [Fact]
    public void Ports_group_ranges_and_list_host_mappings_last()
    {
        Port P(ushort priv, ushort? pub = null, string? ip = null, string type = "tcp") => new() { PrivatePort = priv, PublicPort = pub, IP = ip, Type = type };
        Assert.Equal("53/udp, 80-82/tcp", Ports.Display([P(82), P(80), P(81), P(53, type: "udp")]));
        Assert.Equal("0.0.0.0:8080->80/tcp, [::]:8080->80/tcp", Ports.Display([P(80, 8080, "0.0.0.0"), P(80, 8080, "::")]));
        Assert.Equal("0.0.0.0:80->80/tcp", Ports.Display([P(80, 80, "0.0.0.0")]));
        Assert.Equal("", Ports.Display([]));
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(4_261_550, "4.26MB")]
    [InlineData(1_000_000, "1MB")]
    [InlineData(12_345_678_901, "12.3GB")]
    public void Sizes_are_decimal_with_three_significant_digits(long bytes, string text) => Assert.Equal(text, Text.Size(bytes));

    [Theory]
    [InlineData(0, "Less than a second")]
    [InlineData(3, "3 seconds")]
    [InlineData(70, "About a minute")]
    [InlineData(3600 * 5, "5 hours")]
    [InlineData(86400 * 15, "2 weeks")]
    public void Durations_are_human(int seconds, string text) => Assert.Equal(text, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Ellipsis_keeps_the_width()
    {
        Assert.Equal("sh -c 'while true; …", Text.Ellipsis("sh -c 'while true; do sleep 1; done'", 20));
        Assert.Equal("short", Text.Ellipsis("short", 20));
    }

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", "busybox", "busybox:latest")]
    [InlineData("localhost:5000/a/b:t", "localhost:5000", "a/b", "localhost:5000/a/b", "localhost:5000/a/b:t")]
    [InlineData("user/app@sha256:abc", "docker.io", "user/app", "user/app", "user/app@sha256:abc")]
    public void References_normalize_like_docker(string text, string domain, string path, string familiar, string withTag)
    {
        var reference = ImageReference.TryParse(text)!;
        Assert.Equal((domain, path, familiar, withTag), (reference.Domain, reference.Path, reference.FamiliarName, reference.FamiliarStringWithDefaultTag));
    }

    [Fact]
    public void Detach_keys_parse_like_docker()
    {
        Assert.Equal([16, 17], Berth.Cli.Terminal.HijackSession.ParseDetachKeys("ctrl-p,ctrl-q"));
        Assert.Equal([(byte)'a', 27], Berth.Cli.Terminal.HijackSession.ParseDetachKeys("a,ctrl-["));
        Assert.Throws<FormatException>(() => Berth.Cli.Terminal.HijackSession.ParseDetachKeys("ctrl-1"));
    }

    [Fact]
    public void The_escape_matcher_holds_back_a_partial_sequence_and_releases_it_on_mismatch()
    {
        var matcher = new Berth.Cli.Terminal.HijackSession.EscapeMatcher([16, 17]);
        var first = matcher.Filter([(byte)'a', 16]);
        Assert.Equal([(byte)'a'], first.Forward);
        Assert.False(first.Detached);
        var second = matcher.Filter([(byte)'b']);
        Assert.Equal([16, (byte)'b'], second.Forward);
        Assert.True(matcher.Filter([16, 17]).Detached);
    }
}
