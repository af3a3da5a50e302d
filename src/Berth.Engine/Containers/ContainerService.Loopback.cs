using System.Net;
using System.Net.Sockets;
using Berth.Engine.Containers.Oci;
using Berth.Linux;
using Berth.Network;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// A TCP connection to <c>127.0.0.1:<paramref name="port"/></c> as the running container sees it: in its network
    /// namespace, or the host's with host networking (what a CRI port forward reaches, as containerd's does). A refused
    /// connection is the <see cref="SocketException"/> of connect.
    /// </summary>
    public async Task<Socket> ConnectLoopbackAsync(string idOrName, int port, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        RunningOrConflict(container);
        Socket socket;
        try
        {
            socket = NetworkMode.Parse(container.HostConfig.NetworkMode).IsHost
                ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
                : NamespaceSockets.OpenTcp(Layout.Netns(container.Id), AddressFamily.InterNetwork);
        }
        catch (Exception e) when (e is LinuxException or IOException)
        {
            throw new EngineException(ErrorKind.System, $"cannot enter the network namespace of {container.Id}: {e.Message}", e);
        }
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
