using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Linux.Netlink;

namespace Berth.Network.Bridge;

/// <summary>
/// Opens an rtnetlink socket inside another network namespace. A socket belongs to the namespace of the thread that
/// made it, and setns changes only the calling thread: so a short-lived thread of ours (never a pool thread, which
/// would go back to the pool in the wrong namespace) joins the namespace, makes the socket and ends. The socket then
/// configures that namespace from any thread.
/// </summary>
internal static class NamespaceSocket
{
    public static RouteNetlink Open(SafeHandle netns, string netnsPath)
    {
        NetlinkSocket? socket = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Namespaces.SetNs(netns, CloneFlags.NewNet, netnsPath);
                socket = NetlinkSocket.Open();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "berth-netns-socket" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return new RouteNetlink(socket!);
    }
}
