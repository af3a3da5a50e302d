using System.Net;

namespace Berth.Network.Dns;

/// <summary>
/// The host's nameservers (<c>/etc/resolv.conf</c>), as Docker reads them for its embedded DNS server: every
/// <c>nameserver</c> line in order, loopback ones included, because the embedded server forwards from the daemon's
/// own (the host's) namespace, where 127.0.0.53 (systemd-resolved), a local dnsmasq or 127.0.0.1 work. moby drops
/// loopback nameservers only for containers without the embedded server (the default bridge), whose own resolv.conf
/// would point at their own loopback; <see cref="ForLegacyNetwork"/> does that.
/// </summary>
public static class HostResolvers
{
    /// <summary>moby's fallback for a legacy network left without nameservers.</summary>
    private static readonly IPAddress[] DefaultIpv4 = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("8.8.4.4")];
    private static readonly IPAddress[] DefaultIpv6 = [IPAddress.Parse("2001:4860:4860::8888"), IPAddress.Parse("2001:4860:4860::8844")];

    /// <summary>The nameserver addresses of the resolv.conf at <paramref name="path"/>, in order; none when it is missing. Invalid ones are skipped (as moby).</summary>
    public static IReadOnlyList<IPAddress> Read(string path = "/etc/resolv.conf")
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        var servers = new List<IPAddress>();
        foreach (var line in lines)
        {
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["nameserver", var address, ..] && IPAddress.TryParse(address, out var parsed)) servers.Add(parsed);
        }
        return servers;
    }

    /// <summary>The embedded server's upstreams: every nameserver, port 53 (the forwarder uses the first three, as Docker).</summary>
    public static IReadOnlyList<IPEndPoint> Upstreams(IReadOnlyList<IPAddress> nameservers) =>
        nameservers.Select(a => new IPEndPoint(a, EmbeddedDns.Port)).ToList();

    /// <summary>
    /// moby's TransformForLegacyNw: loopback addresses removed (they mean the container itself there), IPv6 ones too
    /// unless the network has IPv6, and Google's public servers when nothing is left.
    /// </summary>
    public static IReadOnlyList<IPAddress> ForLegacyNetwork(IReadOnlyList<IPAddress> nameservers, bool ipv6)
    {
        var kept = nameservers.Where(a => !IPAddress.IsLoopback(a) && (ipv6 || a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)).ToList();
        if (kept.Count > 0) return kept;
        return ipv6 ? [.. DefaultIpv4, .. DefaultIpv6] : DefaultIpv4;
    }
}
