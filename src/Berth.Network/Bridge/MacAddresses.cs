using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Bridge;

/// <summary>Container MAC addresses as Docker made them: stable per address, so a restarted container's neighbours'
/// ARP caches stay right.</summary>
public static class MacAddresses
{
    /// <summary>02:42 (locally administered, unicast) followed by the four bytes of <paramref name="address"/>.</summary>
    public static byte[] FromIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        var mac = new byte[6];
        mac[0] = 0x02;
        mac[1] = 0x42;
        address.TryWriteBytes(mac.AsSpan(2), out _);
        return mac;
    }

    /// <summary>The colon-separated lowercase form Docker shows ("02:42:0a:d5:05:02").</summary>
    public static string Format(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
