using System.Diagnostics;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Privileged.Tests.Network;

/// <summary>Connect and disconnect, over and over: nothing accumulates. Also reports what one cycle costs (for the
/// record, never asserted: timings belong in benchmarks).</summary>
public sealed class BridgeTimingTests(ITestOutputHelper output) : IDisposable
{
    private readonly BridgeLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [PrivilegedFact]
    public void Fifty_connect_disconnect_cycles_leave_nothing_behind()
    {
        Privileges.RequireRoot();
        _lab.EnsureBridge();
        var netns = _lab.NewNamespace();
        var connect = new List<double>();
        var disconnect = new List<double>();

        for (var i = 0; i < 50; i++)
        {
            var endpoint = _lab.Endpoint(netns, 2);
            var watch = Stopwatch.StartNew();
            _lab.Driver.ConnectEndpoint(endpoint);
            connect.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            Assert.True(_lab.Driver.DisconnectEndpoint(endpoint.HostInterface));
            disconnect.Add(watch.Elapsed.TotalMilliseconds);
        }

        Assert.False(Directory.EnumerateFileSystemEntries($"/sys/class/net/{_lab.BridgeName}/brif").Any());
        Assert.DoesNotContain("eth0", BridgeLab.Run(netns, "ip", "-o", "link", "show").Output);
        output.WriteLine($"connect median {Median(connect):F2} ms (first {connect[0]:F2}), disconnect median {Median(disconnect):F2} ms (first {disconnect[0]:F2})");
        var released = _lab.NewNamespace();
        var last = _lab.Endpoint(released, 3);
        _lab.Driver.ConnectEndpoint(last);
        var release = Stopwatch.StartNew();
        Berth.Network.NetworkNamespaceFile.Remove(released);
        output.WriteLine($"releasing the namespace instead: {release.Elapsed.TotalMilliseconds:F2} ms (the kernel deletes the pair in the background)");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
