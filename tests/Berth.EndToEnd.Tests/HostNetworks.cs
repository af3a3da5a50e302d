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

    /// <summary>Whether a link of that name exists on the host.</summary>
    public static bool LinkExists(string name) => Commands.Run("ip", ["link", "show", name]).ExitCode == 0;
}
