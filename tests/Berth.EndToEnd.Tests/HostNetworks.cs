namespace Berth.EndToEnd.Tests;

/// <summary>What a test daemon leaves on the host's network after it stops (as dockerd leaves docker0): removed by the test.</summary>
public static class HostNetworks
{
    /// <summary>Deletes the bridge and every iptables rule that names it. Absent is fine.</summary>
    public static void RemoveBridge(string name)
    {
        Commands.Run("ip", ["link", "del", name]);
        foreach (var table in new[] { "filter", "nat" })
        {
            var rules = Commands.Run("iptables", ["-t", table, "-S"]).Output.Split('\n');
            foreach (var rule in rules.Where(r => r.StartsWith("-A ", StringComparison.Ordinal) && r.Split(' ').Contains(name)))
                Commands.Run("iptables", ["-t", table, "-D", .. rule[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        }
    }

    private static readonly string[] PortmapChains = ["CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK"];

    /// <summary>Whether the CNI portmap plugin's shared nat chains are there (it makes them once and leaves them).</summary>
    public static bool PortmapChainsExist() => Commands.Run("iptables", ["-t", "nat", "-S", PortmapChains[0]]).ExitCode == 0;

    /// <summary>Removes portmap's shared chains and the rules that jump to them.</summary>
    public static void RemovePortmapChains()
    {
        foreach (var rule in Commands.Run("iptables", ["-t", "nat", "-S"]).Output.Split('\n'))
        {
            if (rule.StartsWith("-A ", StringComparison.Ordinal) && PortmapChains.Any(c => rule.Contains("-j " + c, StringComparison.Ordinal)))
                Commands.Run("iptables", ["-t", "nat", "-D", .. System.Text.RegularExpressions.Regex.Matches(rule[3..], "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"'))]);
        }
        foreach (var chain in PortmapChains)
        {
            Commands.Run("iptables", ["-t", "nat", "-F", chain]);
            Commands.Run("iptables", ["-t", "nat", "-X", chain]);
        }
    }

    /// <summary>Whether a link of that name exists on the host.</summary>
    public static bool LinkExists(string name) => Commands.Run("ip", ["link", "show", name]).ExitCode == 0;
}
