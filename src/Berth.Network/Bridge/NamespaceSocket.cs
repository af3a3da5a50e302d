using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Linux.Netlink;

namespace Berth.Network.Bridge;

/// <summary>
/// Opens an rtnetlink socket inside another network namespace. A socket belongs to the namespace of the thread that
/// made it (see <see cref="NamespaceThreads"/>); the socket then configures that namespace from any thread.
/// </summary>
internal static class NamespaceSocket
{
    public static RouteNetlink Open(SafeHandle netns, string netnsPath) =>
        new(NamespaceThreads.InNamespace(netns, netnsPath, () => NetlinkSocket.Open()));
}
