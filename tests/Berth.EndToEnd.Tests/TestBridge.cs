namespace Berth.EndToEnd.Tests;

/// <summary>
/// A test daemon's own default bridge and address space, so that daemons of parallel tests never share a bridge or
/// a subnet (the machine's own networks stay out of 10.201/16 and 10.202/16). What the daemon leaves on the host
/// after it stops (as dockerd leaves docker0) is removed by <see cref="Remove"/>.
/// </summary>
public sealed class TestBridge
{
    private static int s_count;

    public int Index { get; } = Interlocked.Increment(ref s_count) % 250;
    public string Name => $"bt{Environment.ProcessId % 10000:x4}{Index:x2}";
    public string Bip => $"10.201.{Index}.1/24";
    public string AddressPool => $"base=10.202.{Index % 64 * 4}.0/22,size=26";

    /// <summary>berthd's flags for this bridge.</summary>
    public string[] Arguments => ["--bridge", Name, "--bip", Bip, "--default-address-pool", AddressPool];

    /// <summary>Deletes the bridge and every iptables rule that names it. Absent is fine.</summary>
    public void Remove() => HostNetworks.RemoveBridge(Name);
}
