using System.Net;

namespace Berth.Network.Bridge;

/// <summary>A bridge network as its firewall rules see it.</summary>
/// <param name="BridgeName">The bridge's interface name.</param>
/// <param name="Subnet">The network's IPv4 subnet, e.g. 10.213.5.0/24.</param>
/// <param name="Internal">No traffic leaves or enters the bridge from anything but the host (docker network create --internal).</param>
public sealed record FirewallNetwork(string BridgeName, IPNetwork Subnet, bool Internal = false);

/// <summary>One iptables rule: its table, chain and match/target arguments.</summary>
internal sealed record FirewallRule(string Table, string Chain, params string[] Spec);

/// <summary>
/// Berth's iptables layout, modelled on Docker's so users' habits carry over:
/// <code>
/// nat    POSTROUTING → BERTH-POSTROUTING          MASQUERADE from each non-internal subnet leaving by another interface
/// filter FORWARD     → BERTH-FORWARD
///                        → BERTH-ISOLATION-STAGE-1  (first) from a bridge to elsewhere → STAGE-2; internal bridges: drop in and out
///                             BERTH-ISOLATION-STAGE-2  to any other Berth bridge: drop (bridges never talk to each other)
///                        accept within a bridge; out of a non-internal bridge; into it when established or DNATed (published)
/// </code>
/// The accepts make bridges work under a FORWARD DROP policy; the chains are Berth's own, so removing a network
/// deletes exactly its rules and never touches anyone else's.
/// </summary>
internal static class FirewallRules
{
    public const string Nat = "nat", Filter = "filter";
    public const string Postrouting = "BERTH-POSTROUTING", Forward = "BERTH-FORWARD";
    public const string Stage1 = "BERTH-ISOLATION-STAGE-1", Stage2 = "BERTH-ISOLATION-STAGE-2";

    /// <summary>Berth's chains, in the order they are created.</summary>
    public static readonly (string Table, string Chain)[] Chains = [(Nat, Postrouting), (Filter, Forward), (Filter, Stage1), (Filter, Stage2)];

    /// <summary>The jumps into Berth's chains, each inserted first in its chain, in this order.</summary>
    public static readonly FirewallRule[] Jumps =
    [
        new(Filter, Forward, "-j", Stage1),
        new(Filter, "FORWARD", "-j", Forward),
        new(Nat, "POSTROUTING", "-j", Postrouting),
    ];

    /// <summary>The rules of one network, appended to Berth's chains.</summary>
    public static IReadOnlyList<FirewallRule> For(FirewallNetwork network)
    {
        var bridge = network.BridgeName;
        var rules = new List<FirewallRule>
        {
            new(Filter, Stage1, "-i", bridge, "!", "-o", bridge, "-j", Stage2),
            new(Filter, Stage2, "-o", bridge, "-j", "DROP"),
            new(Filter, Forward, "-i", bridge, "-o", bridge, "-j", "ACCEPT"),
        };
        if (network.Internal)
        {
            rules.Add(new(Filter, Stage1, "-i", bridge, "!", "-o", bridge, "-j", "DROP"));
            rules.Add(new(Filter, Stage1, "!", "-i", bridge, "-o", bridge, "-j", "DROP"));
            return rules;
        }
        rules.Add(new(Filter, Forward, "-i", bridge, "!", "-o", bridge, "-j", "ACCEPT"));
        rules.Add(new(Filter, Forward, "-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"));
        rules.Add(new(Filter, Forward, "-o", bridge, "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT"));
        rules.Add(new(Nat, Postrouting, "-s", network.Subnet.ToString(), "!", "-o", bridge, "-j", "MASQUERADE"));
        return rules;
    }
}
