using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Linux.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>
    /// Adds the IPv4 <paramref name="address"/>/<paramref name="prefixLength"/> to link <paramref name="index"/>, with
    /// its subnet's broadcast address (as <c>ip addr add … brd +</c>). When the link already has it: EEXIST, or
    /// false when <paramref name="existingOk"/>.
    /// </summary>
    public bool AddAddress(int index, IPAddress address, int prefixLength, bool existingOk = false)
    {
        var bytes = IPv4Bytes(address);
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.NewAddr, NetlinkSocket.Create | NetlinkSocket.Exclusive);
        message.Append(new AddressMessage { Family = Rtm.AfInet, PrefixLength = (byte)prefixLength, Index = index });
        message.Attribute(Rtm.IfaLocal, bytes);
        message.Attribute(Rtm.IfaAddress, bytes);
        if (prefixLength < 31) message.Attribute(Rtm.IfaBroadcast, Broadcast(bytes, prefixLength));
        try
        {
            _socket.Exchange(message.Message, "RTM_NEWADDR", $"{address}/{prefixLength} on index {index}");
            return true;
        }
        catch (LinuxException e) when (existingOk && e.Errno == Errno.EEXIST)
        {
            return false;
        }
    }

    /// <summary>Adds the IPv4 default route via <paramref name="gateway"/> out of link <paramref name="index"/>
    /// (main table, as <c>ip route add default via … dev …</c>). The gateway must be on a subnet of that link.</summary>
    public void AddDefaultRoute(IPAddress gateway, int index)
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.NewRoute, NetlinkSocket.Create | NetlinkSocket.Exclusive);
        message.Append(new RouteMessage
        {
            Family = Rtm.AfInet, Table = Rtm.RtTableMain, Protocol = Rtm.RtProtBoot, Scope = Rtm.RtScopeUniverse, Type = Rtm.RtnUnicast,
        });
        message.Attribute(Rtm.RtaGateway, IPv4Bytes(gateway));
        message.Attribute(Rtm.RtaOif, (uint)index);
        _socket.Exchange(message.Message, "RTM_NEWROUTE", $"default via {gateway} on index {index}");
    }

    /// <summary>The subnet's broadcast address: the host bits of <paramref name="address"/> all set.</summary>
    internal static byte[] Broadcast(ReadOnlySpan<byte> address, int prefixLength)
    {
        var hostMask = prefixLength == 0 ? uint.MaxValue : uint.MaxValue >> prefixLength;
        var broadcast = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(broadcast, BinaryPrimitives.ReadUInt32BigEndian(address) | hostMask);
        return broadcast;
    }

    private static byte[] IPv4Bytes(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork
        ? address.GetAddressBytes()
        : throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
}
