using System.Diagnostics;
using System.Net;
using Berth.Network;
using Berth.Network.Bridge;

namespace Berth.Privileged.Tests.Network;

/// <summary>
/// One test's bridge network: a bridge with a random name ("bt" and 6 hex) on a random 10.213.X.0/24, network
/// namespace files under a temp dir, and the veths made into them. Disposing removes all of it, whatever the test
/// got to, so nothing is left on the host even when it fails.
/// </summary>
internal sealed class BridgeLab : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-bridge-").FullName;
    private readonly List<string> _namespaces = [];
    private readonly List<string> _veths = [];
    private readonly List<string> _bridges = [];

    public BridgeLab()
    {
        BridgeName = NewBridgeName();
        Subnet = NewSubnet();
        Settings = new BridgeSettings(BridgeName, Address(1), 24, Mtu: 1500);
    }

    public BridgeDriver Driver { get; } = new();

    public string BridgeName { get; }

    /// <summary>The third byte of 10.213.X.0/24.</summary>
    public int Subnet { get; }

    public BridgeSettings Settings { get; }

    public IPAddress Address(int host) => IPAddress.Parse($"10.213.{Subnet}.{host}");

    public IPNetwork Network => IPNetwork.Parse($"10.213.{Subnet}.0/24");

    public static string NewBridgeName() => "bt" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..3]);

    public static int NewSubnet() => Random.Shared.Next(0, 256);

    /// <summary>Ensures the lab's bridge, remembered for removal.</summary>
    public void EnsureBridge(BridgeSettings? settings = null)
    {
        settings ??= Settings;
        if (!_bridges.Contains(settings.Name)) _bridges.Add(settings.Name);
        Driver.EnsureBridge(settings);
    }

    /// <summary>A new network namespace file, removed with the lab.</summary>
    public string NewNamespace()
    {
        var path = Path.Combine(_dir, "ns" + _namespaces.Count);
        _namespaces.Add(path);
        NetworkNamespaceFile.Create(path);
        return path;
    }

    public string NewHostInterface()
    {
        var name = "vt" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4])[..7];
        _veths.Add(name);
        return name;
    }

    /// <summary>An endpoint on the lab's bridge at .<paramref name="host"/>, gateway .1.</summary>
    public EndpointLink Endpoint(string netns, int host, string containerInterface = "eth0") => new(
        BridgeName, netns, NewHostInterface(), containerInterface, Address(host), 24, Address(1), MacAddresses.FromIPv4(Address(host)), 1500);

    /// <summary>Runs a program inside <paramref name="netns"/> (null: on the host) and returns its exit code and output.
    /// Bounded: killed after 15 s.</summary>
    public static (int Exit, string Output) Run(string? netns, params string[] command)
    {
        var start = new ProcessStartInfo(netns is null ? command[0] : "nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (netns is not null)
        {
            start.ArgumentList.Add("--net=" + netns);
            start.ArgumentList.Add("--");
        }
        foreach (var argument in netns is null ? command[1..] : command) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(15_000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return (process.ExitCode, (output.Result + error.Result).Trim());
    }

    /// <summary>True when one ping from <paramref name="netns"/> (null: the host) to <paramref name="target"/> is answered.</summary>
    public static bool Pings(string? netns, IPAddress target) =>
        Run(netns, "busybox", "ping", "-c", "1", "-W", "2", target.ToString()).Exit == 0;

    public void Dispose()
    {
        var failures = new List<Exception>();
        foreach (var cleanup in _veths.Select(v => (Action)(() => Driver.DisconnectEndpoint(v)))
                     .Concat(_bridges.Select(b => (Action)(() => Driver.RemoveBridge(b))))
                     .Concat(_namespaces.Select(n => (Action)(() => NetworkNamespaceFile.Remove(n))))
                     .Append(() => Directory.Delete(_dir, recursive: true)))
        {
            try
            {
                cleanup();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        if (failures.Count > 0) throw new AggregateException("bridge lab cleanup", failures);
    }
}
