using System.Net;
using System.Net.Sockets;
using Berth.Linux;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>
/// Docker's embedded DNS server for one container on user-defined networks: 127.0.0.11:53, UDP and TCP, inside the
/// container's network namespace; it answers container names from <see cref="IDnsNames"/> and forwards the rest to
/// the host's resolvers. A socket belongs for life to the namespace of the thread that made it, so a short-lived
/// thread of its own joins the namespace, makes and binds the two sockets and ends: nothing else ever runs in the
/// container's namespace, and the sockets are then served by ordinary async code of the daemon, whose forwards leave
/// from the host's namespace.
/// <para>
/// Lifecycle: serving from <see cref="Start"/> until disposed. The sockets keep the namespace alive: dispose before
/// (or when) the container's namespace is released.
/// </para>
/// </summary>
public sealed partial class EmbeddedDns : IAsyncDisposable, IDisposable
{
    /// <summary>The address Docker's containers have as their nameserver.</summary>
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");

    public const int Port = 53;

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly string _where;
    private readonly DnsResponder _responder;
    private readonly DnsForwarder _forwarder;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _disposed;

    private EmbeddedDns(Socket udp, Socket tcp, string where, IDnsNames names, IReadOnlyList<IPEndPoint> upstreams, ILogger logger, TimeSpan forwardTimeout)
    {
        (_udp, _tcp, _where, _logger) = (udp, tcp, where, logger);
        _responder = new DnsResponder(names, logger);
        _forwarder = new DnsForwarder(upstreams, logger) { Timeout = forwardTimeout };
        _udpLoop = ServeUdpAsync();
        _tcpLoop = ServeTcpAsync();
    }

    /// <summary>
    /// Opens 127.0.0.11:53 (UDP and TCP) in the network namespace bound at <paramref name="netnsPath"/> and serves
    /// it; <paramref name="upstreams"/> (see <see cref="HostResolvers"/>) are asked, from the daemon's namespace,
    /// what is no container name.
    /// </summary>
    public static EmbeddedDns Start(string netnsPath, IDnsNames names, IReadOnlyList<IPEndPoint> upstreams, ILogger logger)
    {
        var (udp, tcp) = OpenInNamespace(netnsPath, new IPEndPoint(Address, Port));
        return new EmbeddedDns(udp, tcp, netnsPath, names, upstreams, logger, DnsForwarder.DefaultTimeout);
    }

    /// <summary>Serves sockets made by the caller (tests: on 127.0.0.1 in the test's own namespace).</summary>
    internal static EmbeddedDns Serve(Socket udp, Socket tcp, IDnsNames names, IReadOnlyList<IPEndPoint> upstreams, ILogger logger, TimeSpan forwardTimeout) =>
        new(udp, tcp, "the current namespace", names, upstreams, logger, forwardTimeout);

    internal EndPoint UdpEndPoint => _udp.LocalEndPoint!;

    internal EndPoint TcpEndPoint => _tcp.LocalEndPoint!;

    /// <summary>Stops serving and waits for the loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Stop()) return;
        await _udpLoop;
        await _tcpLoop;
    }

    /// <summary>Stops serving: the sockets close now, the loops end on their own.</summary>
    public void Dispose() => Stop();

    private bool Stop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return false;
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
        // A connection accepted after this finds the stop token cancelled and closes itself.
        foreach (var connection in _connections.Keys) connection.Dispose();
        return true;
    }

    /// <summary>
    /// Makes the two sockets on a thread that joins the namespace, calls socket(2) twice and ends (see
    /// <see cref="InetSockets"/> for why nothing more runs there); binding happens here, in the sockets' namespace.
    /// </summary>
    internal static (Socket Udp, Socket Tcp) OpenInNamespace(string netnsPath, IPEndPoint endpoint)
    {
        Socket? udp = null, tcp = null;
        try
        {
            var (udpFd, tcpFd) = NamespaceThreads.InNamespace(netnsPath, () =>
            {
                var first = InetSockets.Open(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                try
                {
                    return (first, InetSockets.Open(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                }
                catch
                {
                    InetSockets.Close(first);
                    throw;
                }
            });
            udp = new Socket(new SafeSocketHandle(udpFd, ownsHandle: true));
            tcp = new Socket(new SafeSocketHandle(tcpFd, ownsHandle: true));
            udp.Bind(endpoint);
            tcp.SetRawSocketOption(SolSocket, SoReuseAddr, [1, 0, 0, 0]); // as Go's listeners: a restart within TIME_WAIT binds
            tcp.Bind(endpoint);
            tcp.Listen();
            return (udp, tcp);
        }
        catch (Exception e) when (e is SocketException or LinuxException or IOException or UnauthorizedAccessException)
        {
            udp?.Dispose();
            tcp?.Dispose();
            throw new IOException($"cannot open the embedded DNS server's sockets at {endpoint} in {netnsPath}: {e.Message}", e);
        }
    }

    private const int SolSocket = 1, SoReuseAddr = 2;
}
