using System.Net.Sockets;
using Berth.Linux;

namespace Berth.Network;

/// <summary>Sockets of another network namespace, made on a thread that joins it (see <see cref="NamespaceThreads"/>).</summary>
public static class NamespaceSockets
{
    /// <summary>A TCP socket of the namespace at <paramref name="netnsPath"/>, not yet connected: connect it from any thread.</summary>
    public static Socket OpenTcp(string netnsPath, AddressFamily family)
    {
        var fd = NamespaceThreads.InNamespace(netnsPath, () => InetSockets.Open(family, SocketType.Stream, ProtocolType.Tcp));
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }
}
