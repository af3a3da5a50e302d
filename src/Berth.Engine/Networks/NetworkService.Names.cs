using System.Net;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// The addresses of <paramref name="name"/> on the user-defined networks <paramref name="containerId"/> is on:
    /// the containers found by that name, and the one a legacy link of the asking container names so (Docker makes
    /// such a link an alias only the linking container resolves); null when none.
    /// </summary>
    internal IReadOnlyList<IPAddress>? ResolveName(string containerId, string name)
    {
        lock (_lock)
        {
            var found = SharedNetworks(containerId)
                .SelectMany(n => n.Members.Values
                    .Where(m => m.DnsNames.Contains(name, StringComparer.OrdinalIgnoreCase) || IsLinkedAs(n.Members[containerId], m, name)))
                .Select(m => m.Endpoint.Address)
                .Distinct()
                .ToList();
            return found.Count == 0 ? null : found;
        }
    }

    /// <summary>Whether <paramref name="asking"/> links to <paramref name="target"/> under <paramref name="name"/>
    /// (<c>target:alias</c>, or the <c>/target:/asking/alias</c> form inspect shows).</summary>
    private static bool IsLinkedAs(NetworkMember asking, NetworkMember target, string name) =>
        asking.Links.Any(link => link.Split(':', 2) is [var container, var alias]
            && container.TrimStart('/') == target.ContainerName
            && alias[(alias.LastIndexOf('/') + 1)..].Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>"name.network" for an address on one of the container's user-defined networks, as Docker answers PTR queries.</summary>
    internal string? ReverseName(string containerId, IPAddress address)
    {
        lock (_lock)
        {
            foreach (var network in SharedNetworks(containerId))
                foreach (var member in network.Members.Values)
                    if (member.Endpoint.Address.Equals(address)) return $"{member.ContainerName}.{network.Record.Name}";
            return null;
        }
    }

    private IEnumerable<LiveNetwork> SharedNetworks(string containerId) =>
        _networks.Values.Where(n => n.Record.HasEmbeddedDns && n.Members.ContainsKey(containerId));
}
