using System.Runtime.InteropServices;

namespace Berth.Linux.Netlink;

/// <summary>Reads an RTM_NEWLINK payload (ifinfomsg and attributes) into a <see cref="LinkEntry"/>.</summary>
internal static class LinkParser
{
    public static LinkEntry Parse(ReadOnlySpan<byte> payload)
    {
        var header = MemoryMarshal.Read<LinkMessage>(payload);
        string name = "", kind = "";
        int master = 0, mtu = 0;
        byte[]? mac = null;
        var headerSize = (Marshal.SizeOf<LinkMessage>() + 3) & ~3;
        foreach (var attribute in new NetlinkAttributes(payload[headerSize..]))
        {
            switch (attribute.Type)
            {
                case Rtm.IflaIfName: name = NetlinkAttributes.String(attribute.Value); break;
                case Rtm.IflaMtu: mtu = (int)NetlinkAttributes.U32(attribute.Value); break;
                case Rtm.IflaMaster: master = (int)NetlinkAttributes.U32(attribute.Value); break;
                case Rtm.IflaAddress: mac = attribute.Value.ToArray(); break;
                case Rtm.IflaLinkInfo: kind = KindOf(attribute.Value); break;
            }
        }
        return new LinkEntry(header.Index, name, kind.Length == 0 ? null : kind, master, mtu, (header.Flags & Rtm.IffUp) != 0, mac);
    }

    private static string KindOf(ReadOnlySpan<byte> linkInfo)
    {
        foreach (var attribute in new NetlinkAttributes(linkInfo))
        {
            if (attribute.Type == Rtm.IflaInfoKind) return NetlinkAttributes.String(attribute.Value);
        }
        return "";
    }
}
