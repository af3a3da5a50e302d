using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// A container's /etc/hosts as Docker writes it (libnetwork <c>etchosts</c>): localhost, the IPv6 names, the
/// <c>--add-host</c> entries, then the container's own name for each of its addresses. Each line is
/// <c>address&lt;TAB&gt;names</c>.
/// </summary>
public static class EtcHosts
{
    private static readonly (string Address, string Names)[] Ipv6Defaults =
    [
        ("::1", "localhost ip6-localhost ip6-loopback"), ("fe00::", "ip6-localnet"), ("ff00::", "ip6-mcastprefix"),
        ("ff02::1", "ip6-allnodes"), ("ff02::2", "ip6-allrouters"),
    ];

    /// <param name="extraHosts"><c>name:address</c> entries (<c>--add-host</c>); <c>host-gateway</c> stands for <paramref name="hostGateway"/>.</param>
    /// <param name="addresses">The container's own addresses, mapped to its hostname (none on the none and host networks).</param>
    /// <param name="ipv6">False when IPv6 is known to be disabled in the container: no IPv6 line is written then.</param>
    public static string Build(
        string hostname, string? domainname, IReadOnlyList<string> extraHosts, IReadOnlyList<IPAddress> addresses,
        bool ipv6 = true, IReadOnlyList<IPAddress>? hostGateway = null)
    {
        var records = new List<(IPAddress Address, string Names)>();
        foreach (var entry in extraHosts) records.AddRange(ParseExtraHost(entry, hostGateway ?? []));
        records.AddRange(addresses.Select(a => (a, OwnNames(hostname, domainname))));

        var text = new StringBuilder("127.0.0.1\tlocalhost\n");
        if (ipv6) foreach (var (address, names) in Ipv6Defaults) text.Append(address).Append('\t').Append(names).Append('\n');
        foreach (var (address, names) in records)
        {
            if (!ipv6 && address.AddressFamily == AddressFamily.InterNetworkV6) continue;
            text.Append(address).Append('\t').Append(names).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Docker's add-host rule: split on the first ':' (IPv6 addresses have more), brackets allowed around an IPv6 address.</summary>
    public static IEnumerable<(IPAddress Address, string Names)> ParseExtraHost(string entry, IReadOnlyList<IPAddress> hostGateway)
    {
        var colon = entry.IndexOf(':');
        if (colon <= 0) throw new EngineException(ErrorKind.InvalidArgument, $"bad format for add-host: \"{entry}\"");
        var name = entry[..colon];
        var ip = entry[(colon + 1)..];
        if (ip == "host-gateway")
        {
            if (hostGateway.Count == 0) throw new EngineException(ErrorKind.InvalidArgument, "unable to derive the IP value for host-gateway");
            return hostGateway.Select(g => (Unmap(g), name));
        }
        var bare = ip.StartsWith('[') && ip.EndsWith(']') ? ip[1..^1] : ip;
        if (!IPAddress.TryParse(bare, out var address) || bare.Contains('%'))
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid IP address in add-host: \"{ip}\"");
        return [(Unmap(address), name)];
    }

    /// <summary>The names of the container's own line: the FQDN, then the bare hostname when they differ.</summary>
    private static string OwnNames(string hostname, string? domainname)
    {
        var fqdn = string.IsNullOrEmpty(domainname) ? hostname : $"{hostname}.{domainname}";
        var dot = fqdn.IndexOf('.');
        return dot < 0 ? fqdn : $"{fqdn} {fqdn[..dot]}";
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
