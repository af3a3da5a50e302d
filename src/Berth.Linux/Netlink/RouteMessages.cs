using System.Runtime.InteropServices;

namespace Berth.Linux.Netlink;

/// <summary>The fixed headers of rtnetlink messages and the constants Berth uses (linux/rtnetlink.h, if_link.h).</summary>
internal static class Rtm
{
    public const ushort NewLink = 16, DelLink = 17, GetLink = 18, NewAddr = 20, NewRoute = 24;
    public const byte AfUnspec = 0, AfInet = 2;
    public const uint IffUp = 0x1;

    public const ushort IflaAddress = 1, IflaIfName = 3, IflaMtu = 4, IflaMaster = 10, IflaOperState = 16, IflaLinkInfo = 18, IflaNetNsFd = 28;
    public const ushort IflaInfoKind = 1, IflaInfoData = 2, VethInfoPeer = 1;
    public const ushort IfaAddress = 1, IfaLocal = 2, IfaBroadcast = 4;
    public const ushort RtaOif = 4, RtaGateway = 5;
    public const byte RtTableMain = 254, RtProtBoot = 3, RtScopeUniverse = 0, RtnUnicast = 1;
}

/// <summary>struct ifinfomsg: the header of a link message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LinkMessage
{
    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;
}

/// <summary>struct ifaddrmsg: the header of an address message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AddressMessage
{
    public byte Family;
    public byte PrefixLength;
    public byte Flags;
    public byte Scope;
    public int Index;
}

/// <summary>struct rtmsg: the header of a route message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RouteMessage
{
    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;
}
