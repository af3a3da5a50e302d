namespace Berth.Linux.Netlink;

/// <summary>
/// rtnetlink (NETLINK_ROUTE) operations on the links, addresses and routes of one network namespace, the namespace of
/// the socket: what <c>ip link</c>, <c>ip addr</c> and <c>ip route</c> do, without spawning them. Each call is one
/// request and its acknowledgement; a refusal throws a <see cref="LinuxException"/> naming the request and the link.
/// Not thread-safe (one socket, one exchange at a time): open one per caller, they cost one syscall.
/// </summary>
public sealed partial class RouteNetlink : IDisposable
{
    private const int MessageSize = 512;
    private readonly NetlinkSocket _socket;

    public RouteNetlink(NetlinkSocket socket) => _socket = socket;

    /// <summary>A socket in the calling thread's network namespace.</summary>
    public static RouteNetlink Open() => new(NetlinkSocket.Open());

    /// <summary>The link named <paramref name="name"/>, or null when there is none.</summary>
    public LinkEntry? FindLink(string name)
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.GetLink, 0);
        message.Append(new LinkMessage { Family = Rtm.AfUnspec });
        message.Attribute(Rtm.IflaIfName, name);
        LinkEntry? found = null;
        try
        {
            _socket.Exchange(message.Message, "RTM_GETLINK", name, (type, payload) => found ??= type == Rtm.NewLink ? LinkParser.Parse(payload) : null);
        }
        catch (LinuxException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
        return found;
    }

    /// <summary>The index of the link named <paramref name="name"/>; ENODEV naming it when there is none.</summary>
    public int LinkIndex(string name) => FindLink(name)?.Index ?? throw new LinuxException("RTM_GETLINK", name, Errno.ENODEV);

    /// <summary>Every link of the namespace.</summary>
    public IReadOnlyList<LinkEntry> ListLinks()
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.GetLink, NetlinkSocket.Dump);
        message.Append(new LinkMessage { Family = Rtm.AfUnspec });
        var links = new List<LinkEntry>();
        _socket.Exchange(message.Message, "RTM_GETLINK", "(dump)", (type, payload) =>
        {
            if (type == Rtm.NewLink) links.Add(LinkParser.Parse(payload));
        });
        return links;
    }

    /// <summary>Creates a bridge; EEXIST when a link of that name exists.</summary>
    public void CreateBridge(LinkSettings bridge)
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.NewLink, NetlinkSocket.Create | NetlinkSocket.Exclusive);
        WriteLink(ref message, bridge);
        var info = message.BeginNested(Rtm.IflaLinkInfo);
        message.Attribute(Rtm.IflaInfoKind, "bridge");
        message.EndNested(info);
        _socket.Exchange(message.Message, "RTM_NEWLINK", $"{bridge.Name} (bridge)");
    }

    /// <summary>
    /// Creates a veth pair in one request: <paramref name="host"/> here, <paramref name="peer"/> with its own settings,
    /// inside <see cref="LinkSettings.Namespace"/> when given. Either both ends exist afterwards or neither does.
    /// </summary>
    public void CreateVeth(LinkSettings host, LinkSettings peer)
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.NewLink, NetlinkSocket.Create | NetlinkSocket.Exclusive);
        WriteLink(ref message, host);
        var info = message.BeginNested(Rtm.IflaLinkInfo);
        message.Attribute(Rtm.IflaInfoKind, "veth");
        var data = message.BeginNested(Rtm.IflaInfoData);
        var peerInfo = message.BeginNested(Rtm.VethInfoPeer);
        WriteLink(ref message, peer); // the peer's data is a whole ifinfomsg with its attributes
        message.EndNested(peerInfo);
        message.EndNested(data);
        message.EndNested(info);
        _socket.Exchange(message.Message, "RTM_NEWLINK", $"{host.Name} (veth, peer {peer.Name})");
    }

    /// <summary>Attaches link <paramref name="index"/> to the bridge <paramref name="masterIndex"/> (0 detaches it).</summary>
    public void SetMaster(int index, int masterIndex) => Change(index, Rtm.IflaMaster, (uint)masterIndex, "master");

    public void SetMtu(int index, int mtu) => Change(index, Rtm.IflaMtu, (uint)mtu, "mtu");

    public void SetUp(int index)
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.NewLink, 0);
        message.Append(new LinkMessage { Family = Rtm.AfUnspec, Index = index, Flags = Rtm.IffUp, Change = Rtm.IffUp });
        _socket.Exchange(message.Message, "RTM_NEWLINK", $"index {index} (up)");
    }

    /// <summary>Deletes the link named <paramref name="name"/> (a veth takes its peer with it). Returns false when there
    /// was none and <paramref name="missingOk"/>; otherwise a missing link is ENODEV.</summary>
    public bool DeleteLink(string name, bool missingOk)
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.DelLink, 0);
        message.Append(new LinkMessage { Family = Rtm.AfUnspec });
        message.Attribute(Rtm.IflaIfName, name);
        try
        {
            _socket.Exchange(message.Message, "RTM_DELLINK", name);
            return true;
        }
        catch (LinuxException e) when (missingOk && e.Errno == Errno.ENODEV)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private void Change(int index, ushort attribute, uint value, string what)
    {
        var message = new NetlinkMessageWriter(stackalloc byte[MessageSize], Rtm.NewLink, 0);
        message.Append(new LinkMessage { Family = Rtm.AfUnspec, Index = index });
        message.Attribute(attribute, value);
        _socket.Exchange(message.Message, "RTM_NEWLINK", $"index {index} ({what} {value})");
    }

    private static void WriteLink(ref NetlinkMessageWriter message, LinkSettings link)
    {
        var up = link.Up ? Rtm.IffUp : 0;
        message.Append(new LinkMessage { Family = Rtm.AfUnspec, Flags = up, Change = up });
        message.Attribute(Rtm.IflaIfName, link.Name);
        if (link.Mtu > 0) message.Attribute(Rtm.IflaMtu, (uint)link.Mtu);
        if (link.MacAddress is { } mac) message.Attribute(Rtm.IflaAddress, mac);
        if (link.MasterIndex > 0) message.Attribute(Rtm.IflaMaster, (uint)link.MasterIndex);
        if (link.Namespace is { } netns) message.Attribute(Rtm.IflaNetNsFd, (uint)netns.DangerousGetHandle());
    }
}
