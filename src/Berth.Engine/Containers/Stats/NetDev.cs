using System.Globalization;

namespace Berth.Engine.Containers.Stats;

/// <summary>/proc/&lt;pid&gt;/net/dev: the interfaces of the process's network namespace and their counters.</summary>
internal static class NetDev
{
    /// <summary>
    /// Two header lines, then one line per interface: "  eth0: rx bytes packets errs drop fifo frame compressed
    /// multicast, tx bytes packets errs drop fifo colls carrier compressed". Wide counters can touch the colon
    /// ("eth0:123"), so the name ends at the colon, not at a space. lo is left out, as Docker does.
    /// </summary>
    public static IReadOnlyDictionary<string, NetworkInterfaceStats> Parse(string netDev)
    {
        var interfaces = new SortedDictionary<string, NetworkInterfaceStats>(StringComparer.Ordinal);
        foreach (var line in netDev.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var name = line[..colon].Trim();
            var counters = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (name.Length == 0 || name == "lo" || counters.Length < 16) continue;
            ulong At(int i) => ulong.TryParse(counters[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            interfaces[name] = new NetworkInterfaceStats(
                RxBytes: At(0), RxPackets: At(1), RxErrors: At(2), RxDropped: At(3),
                TxBytes: At(8), TxPackets: At(9), TxErrors: At(10), TxDropped: At(11));
        }
        return interfaces;
    }
}
