using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Ports;

/// <summary>
/// One published port served in-process, as Docker's userland proxy (docker-proxy) serves it: the host socket is
/// bound when <see cref="Start"/> returns (a port in use fails there, with Docker's text), then every TCP connection
/// is relayed to the container and every UDP client gets a flow of its own. This is what makes a published port
/// answer on 127.0.0.1, which a DNAT rule alone does not. Everything runs on async sockets (no thread per connection).
/// Lifecycle: started bound and serving; <see cref="DisposeAsync"/> stops listening, closes the live connections and
/// flows and gives the port back to the allocator.
/// </summary>
public sealed class PortProxy : IAsyncDisposable
{
    /// <summary>moby's OSAllocator: a picked port that another process turns out to hold is retried this many times.</summary>
    private const int MaxAttempts = 10;

    /// <summary>docker-proxy's UDPConnTrackTimeout.</summary>
    internal static readonly TimeSpan DefaultUdpIdleTimeout = TimeSpan.FromSeconds(90);

    private readonly IAsyncDisposable _forwarder;
    private readonly HostPortAllocator _allocator;
    private int _disposed;

    private PortProxy(PortMapping mapping, IAsyncDisposable forwarder, HostPortAllocator allocator) =>
        (Mapping, _forwarder, _allocator) = (mapping, forwarder, allocator);

    /// <summary>The mapping as bound: <see cref="PortMapping.HostPort"/> is the real port, never 0.</summary>
    public PortMapping Mapping { get; }

    internal IAsyncDisposable Forwarder => _forwarder;

    /// <summary>
    /// Takes the host port from <paramref name="allocator"/>, binds it and starts forwarding. Throws
    /// <see cref="PortBindException"/> when the port is held by another mapping of this daemon
    /// (<c>Bind for 0.0.0.0:8080 failed: port is already allocated</c>) or by another process
    /// (<c>failed to bind host port 0.0.0.0:8080/tcp: address already in use</c>).
    /// </summary>
    public static PortProxy Start(PortMapping mapping, HostPortAllocator allocator, ILogger logger) =>
        StartAll([mapping], allocator, logger)[0];

    /// <summary>
    /// One published port on several host addresses (Docker publishes <c>-p 8080:80</c> on 0.0.0.0 and on ::), as
    /// moby's port mapper does: one host port for all of them, a picked one free on every address. The mappings
    /// differ only in their addresses. All start, or none (and then the error of the last try).
    /// </summary>
    public static IReadOnlyList<PortProxy> StartAll(IReadOnlyList<PortMapping> mappings, HostPortAllocator allocator, ILogger logger) =>
        StartAll(mappings, allocator, logger, DefaultUdpIdleTimeout);

    internal static IReadOnlyList<PortProxy> StartAll(IReadOnlyList<PortMapping> mappings, HostPortAllocator allocator, ILogger logger, TimeSpan udpIdleTimeout)
    {
        var (first, last, single) = Validate(mappings);
        var protocol = mappings[0].Protocol;
        PortBindException? failure = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var port = allocator.Reserve(protocol, mappings[0].HostIp, first, last);
            var reserved = 1;
            var sockets = new List<Socket>(mappings.Count);
            try
            {
                for (; reserved < mappings.Count; reserved++) allocator.Reserve(protocol, mappings[reserved].HostIp, port, port);
                foreach (var mapping in mappings) sockets.Add(Bind(protocol, new IPEndPoint(mapping.HostIp, port)));
            }
            catch (Exception e) when (e is SocketException or PortBindException)
            {
                foreach (var socket in sockets) socket.Dispose();
                for (var i = 0; i < reserved; i++) allocator.Release(protocol, mappings[i].HostIp, port);
                failure = e as PortBindException ?? new PortBindException(
                    $"failed to bind host port {PortMapping.Format(mappings[sockets.Count].HostIp, port)}/{protocol}: {GoErrorText((SocketException)e)}", e);
                if (single) throw failure;
                continue;
            }
            return mappings.Select((mapping, i) => Serve(mapping with { HostPort = port, HostPortEnd = port }, sockets[i], allocator, logger, udpIdleTimeout)).ToList();
        }
        throw failure!;
    }

    private static PortProxy Serve(PortMapping bound, Socket socket, HostPortAllocator allocator, ILogger logger, TimeSpan udpIdleTimeout)
    {
        var target = new IPEndPoint(bound.ContainerIp, bound.ContainerPort);
        IAsyncDisposable forwarder = bound.Protocol == PortMapping.Tcp
            ? new TcpForwarder(socket, target, bound.ToString(), logger)
            : new UdpForwarder(socket, target, bound.ToString(), udpIdleTimeout, logger);
        return new PortProxy(bound, forwarder, allocator);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _forwarder.DisposeAsync();
        _allocator.Release(Mapping.Protocol, Mapping.HostIp, Mapping.HostPort);
    }

    private static (int First, int Last, bool Single) Validate(IReadOnlyList<PortMapping> mappings)
    {
        if (mappings.Count == 0) throw new ArgumentException("no mapping", nameof(mappings));
        var mapping = mappings[0];
        if (mapping.Protocol is not (PortMapping.Tcp or PortMapping.Udp))
            throw new ArgumentException($"unsupported protocol {mapping.Protocol}", nameof(mappings));
        if (mapping.ContainerPort is < 1 or > 65535)
            throw new ArgumentException($"invalid container port {mapping.ContainerPort}", nameof(mappings));
        // The container's address may differ (its IPv6 one for ::), the ports may not.
        if (mappings.Any(m => m with { HostIp = mapping.HostIp, ContainerIp = mapping.ContainerIp } != mapping))
            throw new ArgumentException("the mappings of one port differ in more than their addresses", nameof(mappings));
        if (mapping.HostPort == 0) return (0, 0, false);
        var last = mapping.HostPortEnd == 0 ? mapping.HostPort : mapping.HostPortEnd;
        return (mapping.HostPort, last, last == mapping.HostPort);
    }

    /// <summary>Binds as moby's port allocator does: SO_REUSEADDR (not SO_REUSEPORT) for TCP, IPv6 sockets v6-only.</summary>
    private static Socket Bind(string protocol, IPEndPoint endpoint)
    {
        var tcp = protocol == PortMapping.Tcp;
        var socket = new Socket(endpoint.AddressFamily, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            // SocketOptionName.ReuseAddress would also set SO_REUSEPORT on Linux, letting a second process bind the port.
            if (tcp) socket.SetRawSocketOption(SolSocket, SoReuseAddr, [1, 0, 0, 0]);
            socket.Bind(endpoint);
            if (tcp) socket.Listen();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private const int SolSocket = 1, SoReuseAddr = 2;

    /// <summary>The errno as Go words it (Docker's messages carry Go's text: lower case, no errno number).</summary>
    internal static string GoErrorText(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "cannot assign requested address",
        SocketError.AccessDenied => "permission denied",
        _ => e.Message.Length > 0 ? char.ToLowerInvariant(e.Message[0]) + e.Message[1..] : e.SocketErrorCode.ToString(),
    };
}
