using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Api.Models.Networks;

namespace Berth.Cli.Commands.Network;

/// <summary>
/// docker's <c>createIPAMConfig</c> for <c>network create</c>: one pool per <c>--subnet</c>, each <c>--ip-range</c>,
/// <c>--gateway</c> and <c>--aux-address</c> placed in the subnet that contains it, with docker's messages when one
/// fits none, two subnets overlap, or a subnet gets two ranges or gateways. Pools keep the order subnets were given.
/// </summary>
internal static class IpamConfigBuilder
{
    /// <exception cref="FormatException">docker's message for the first inconsistency found.</exception>
    public static NetworkIpam Build(string driver, IReadOnlyList<string> subnets, IReadOnlyList<string> ranges, IReadOnlyList<string> gateways,
        IReadOnlyDictionary<string, string> auxAddresses, IReadOnlyDictionary<string, string> options)
    {
        if (subnets.Count < ranges.Count || subnets.Count < gateways.Count)
            throw new FormatException("every ip-range or gateway must have a corresponding subnet");
        var pools = new List<(string Subnet, IpamPool Pool)>();
        foreach (var subnet in subnets)
        {
            foreach (var (existing, _) in pools)
            {
                if (Matches(subnet, existing) || Matches(existing, subnet))
                    throw new FormatException("multiple overlapping subnet configuration is not supported");
            }
            pools.Add((subnet, new IpamPool { Subnet = subnet }));
        }
        foreach (var range in ranges)
        {
            var matched = false;
            foreach (var (subnet, pool) in pools)
            {
                if (ParseCidr(range) is null)
                    throw new FormatException($"invalid CIDR address: {range}");
                if (!Matches(subnet, range))
                    continue;
                if (pool.IPRange is { } previous)
                    throw new FormatException($"cannot configure multiple ranges ({range}, {previous}) on the same subnet ({subnet})");
                pool.IPRange = range;
                matched = true;
            }
            if (!matched)
                throw new FormatException($"no matching subnet for range {range}");
        }
        foreach (var gateway in gateways)
        {
            var matched = false;
            foreach (var (subnet, pool) in pools)
            {
                if (!Matches(subnet, gateway))
                    continue;
                if (pool.Gateway is { } previous)
                    throw new FormatException($"cannot configure multiple gateways ({gateway}, {previous}) for the same subnet ({subnet})");
                pool.Gateway = gateway;
                matched = true;
            }
            if (!matched)
                throw new FormatException($"no matching subnet for gateway {gateway}");
        }
        foreach (var (key, address) in auxAddresses)
        {
            var matched = false;
            foreach (var (subnet, pool) in pools)
            {
                if (!Matches(subnet, address))
                    continue;
                (pool.AuxiliaryAddresses ??= [])[key] = address;
                matched = true;
            }
            if (!matched)
                throw new FormatException($"no matching subnet for aux-address {address}");
        }
        return new NetworkIpam { Driver = driver, Config = pools.Select(p => p.Pool).ToList(), Options = new Dictionary<string, string>(options) };
    }

    /// <summary>docker's <c>subnetMatches</c>: whether <paramref name="subnet"/> contains the address (or a CIDR's address).</summary>
    private static bool Matches(string subnet, string data)
    {
        var network = ParseCidr(subnet) ?? throw new FormatException($"invalid subnet: invalid CIDR address: {subnet}");
        IPAddress? address;
        if (data.Contains('/'))
            address = (ParseCidr(data) ?? throw new FormatException($"invalid CIDR address: {data}")).Address;
        else
            address = ParseIp(data);
        return address is not null && Contains(network, address);
    }

    private static (IPAddress Address, int Prefix)? ParseCidr(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || ParseIp(text[..slash]) is not { } address)
            return null;
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length == 0 || !prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
            return null;
        return (address, prefix);
    }

    /// <summary>Go's <c>net.ParseIP</c>: dotted-quad IPv4 (no shortened forms) or IPv6, no zone.</summary>
    private static IPAddress? ParseIp(string text)
    {
        if (text.Contains(':'))
            return !text.Contains('%') && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0') || int.Parse(p, CultureInfo.InvariantCulture) > 255))
            return null;
        return IPAddress.Parse(text);
    }

    private static bool Contains((IPAddress Address, int Prefix) network, IPAddress address)
    {
        if (network.Address.AddressFamily != address.AddressFamily)
            return false;
        var a = network.Address.GetAddressBytes();
        var b = address.GetAddressBytes();
        var full = network.Prefix / 8;
        for (var i = 0; i < full; i++)
        {
            if (a[i] != b[i])
                return false;
        }
        var rest = network.Prefix % 8;
        if (rest == 0)
            return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (b[full] & mask);
    }
}
