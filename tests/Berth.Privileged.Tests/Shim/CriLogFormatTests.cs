using Berth.Testing;

namespace Berth.Privileged.Tests.Shim;

/// <summary>berth-shim's <c>--cri-log</c>: the container's output in the Kubernetes CRI's log format, as kubelet and crictl read it.</summary>
public sealed class CriLogFormatTests
{
    [PrivilegedFact]
    public async Task Each_line_is_a_time_the_stream_a_full_or_partial_tag_and_the_text_as_written()
    {
        await using var harness = new ShimHarness("""echo 'hello "world"'; echo oops >&2; head -c 16390 /dev/zero | tr '\0' x; printf tail""");
        var request = harness.Request();
        await harness.LaunchAsync(request with { Options = request.Options with { CriLog = true } });
        var wait = harness.Client.WaitAsync();
        await harness.Client.StartAsync();
        await wait.WaitAsync(ShimHarness.Timeout);
        await harness.ShimExitAsync();

        var lines = File.ReadAllLines(harness.Log);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [FP] ", l));
        var entries = lines.Select(l => l[(l.IndexOf(' ') + 1)..]).ToList();
        Assert.Contains("stdout F hello \"world\"", entries);
        Assert.Contains("stderr F oops", entries);
        var stdout = entries.Where(e => e.StartsWith("stdout", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Equal(["stdout P " + new string('x', 16384), "stdout F xxxxxxtail"], stdout);
    }
}
