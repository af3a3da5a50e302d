using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Ipam;

/// <summary>IPv4 addresses and subnets as numbers: what address allocation and overlap checks need.</summary>
public static class Ipv4
{
    public static uint ToNumber(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException($"{address} is not an IPv4 address");
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromNumber(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The first and last address of <paramref name="subnet"/> as numbers.</summary>
    public static (uint First, uint Last) Bounds(IPNetwork subnet)
    {
        var first = ToNumber(subnet.BaseAddress);
        var hostBits = 32 - subnet.PrefixLength;
        var last = hostBits == 32 ? uint.MaxValue : first | ((1u << hostBits) - 1);
        return (first, last);
    }

    public static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    /// <summary>Parses an IPv4 CIDR; a host address in it is masked to the network (10.1.2.3/24 → 10.1.2.0/24), as Go does.</summary>
    public static bool TryParseSubnet(string text, out IPNetwork subnet)
    {
        subnet = default;
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 0 or > 32)
            return false;
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        subnet = new IPNetwork(FromNumber(ToNumber(address) & mask), prefix);
        return true;
    }

    /// <summary>The address part of a CIDR that names a host (<c>--bip 10.1.0.1/24</c> → 10.1.0.1).</summary>
    public static bool TryParseHostCidr(string text, out IPAddress address, out IPNetwork subnet)
    {
        address = IPAddress.None;
        if (!TryParseSubnet(text, out subnet)) return false;
        address = IPAddress.Parse(text[..text.IndexOf('/')]);
        return true;
    }
}
