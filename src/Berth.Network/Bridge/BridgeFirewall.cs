namespace Berth.Network.Bridge;

/// <summary>
/// The iptables side of bridge networks (layout in <see cref="FirewallRules"/>): NAT out of each subnet, forwarding
/// accepted in and out of each bridge, internal networks sealed, different bridges isolated from each other. Runs
/// at daemon start (<see cref="InstallAsync"/>) and network create and remove, never per container. Every method is
/// idempotent, checking each rule before adding or deleting it. Not for concurrent use on the same network.
/// </summary>
/// <param name="program">The iptables program, by name (found on PATH or in the system directories) or by path.</param>
/// <param name="procSys">The sysctl root, /proc/sys; a temp dir in tests.</param>
public sealed class BridgeFirewall(string program = "iptables", string procSys = "/proc/sys")
{
    private readonly Iptables _iptables = new(program);

    /// <summary>Creates Berth's chains and the jumps into them, and enables IPv4 forwarding (without it nothing
    /// leaves a bridge). A missing iptables fails here, naming the package.</summary>
    public async Task InstallAsync(CancellationToken ct = default)
    {
        foreach (var (table, chain) in FirewallRules.Chains)
        {
            if (!await _iptables.HasChainAsync(table, chain, ct)) await _iptables.CreateChainAsync(table, chain, ct);
        }
        foreach (var jump in FirewallRules.Jumps)
        {
            if (!await _iptables.HasAsync(jump, ct)) await _iptables.InsertFirstAsync(jump, ct);
        }
        await EnableForwardingAsync(ct);
    }

    /// <summary>Adds <paramref name="network"/>'s rules (installing Berth's chains first when missing).</summary>
    public async Task AddAsync(FirewallNetwork network, CancellationToken ct = default)
    {
        await InstallAsync(ct);
        foreach (var rule in FirewallRules.For(network))
        {
            if (!await _iptables.HasAsync(rule, ct)) await _iptables.AppendAsync(rule, ct);
        }
    }

    /// <summary>Deletes exactly <paramref name="network"/>'s rules; those already gone are skipped.</summary>
    public async Task RemoveAsync(FirewallNetwork network, CancellationToken ct = default)
    {
        // Together in one process when they are all there (the usual case: network remove was ~20 iptables runs);
        // one by one, checking each, when some are already gone.
        var rules = FirewallRules.For(network);
        if (await _iptables.TryDeleteAllAsync(rules, ct)) return;
        foreach (var rule in rules)
        {
            while (await _iptables.HasAsync(rule, ct)) await _iptables.DeleteAsync(rule, ct);
        }
    }

    private async Task EnableForwardingAsync(CancellationToken ct)
    {
        var path = Path.Combine(procSys, "net/ipv4/ip_forward");
        if ((await File.ReadAllTextAsync(path, ct)).Trim() != "1") await File.WriteAllTextAsync(path, "1\n", ct);
    }
}
