using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Ports;

/// <summary>
/// The UDP half of <see cref="PortProxy"/>, as docker-proxy does it: each client address gets a flow, a socket of
/// its own connected to the container, so that the container's replies can be told apart and sent back to that
/// client from the published port. A flow ends after <c>idleTimeout</c> without traffic either way; at most
/// <see cref="MaxFlows"/> live at once (a datagram from one more client is dropped, as the kernel drops what it
/// cannot queue). A datagram is sent on before the next is read: nothing queues in the proxy.
/// </summary>
internal sealed class UdpForwarder : IAsyncDisposable
{
    internal const int MaxFlows = 1024;
    private const int MaxDatagram = 65535;

    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly string _name;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, Flow> _flows = new();
    private readonly Task _receiveLoop;

    public UdpForwarder(Socket listener, IPEndPoint target, string name, TimeSpan idleTimeout, ILogger logger)
    {
        (_listener, _target, _name, _idleTimeout, _logger) = (listener, target, name, idleTimeout, logger);
        _receiveLoop = ReceiveLoopAsync();
    }

    /// <summary>Live flows (for tests: one per client, gone after the idle timeout).</summary>
    internal int FlowCount => _flows.Count;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _receiveLoop;
        var replies = _flows.Values.Select(f => f.Replies).ToList();
        foreach (var flow in _flows.Values) flow.Backend.Dispose();
        await Task.WhenAll(replies);
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        EndPoint any = new IPEndPoint(_listener.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _listener.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.ProxyAcceptFailed(_logger, _name, e.Message);
                continue;
            }
            var client = (IPEndPoint)received.RemoteEndPoint;
            try
            {
                await ForwardAsync(client, buffer.AsMemory(0, received.ReceivedBytes));
            }
            catch (Exception e)
            {
                if (_stop.IsCancellationRequested) return;
                Log.ProxyDatagramDropped(_logger, _name, client, e.Message); // e.g. no descriptor left for a new flow
            }
        }
    }

    private async Task ForwardAsync(IPEndPoint client, ReadOnlyMemory<byte> datagram)
    {
        // A flow that ends while this datagram is on its way is replaced once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var flow = FlowFor(client);
            if (flow is null) return;
            try
            {
                flow.Touch();
                await flow.Backend.SendAsync(datagram, SocketFlags.None, _stop.Token);
                return;
            }
            catch (ObjectDisposedException) when (!_stop.IsCancellationRequested)
            {
                _flows.TryRemove(new KeyValuePair<IPEndPoint, Flow>(client, flow));
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The container is not there (yet): the datagram is lost, as it would be on the wire.
                Log.ProxyDatagramDropped(_logger, _name, client, e.Message);
                return;
            }
        }
    }

    private Flow? FlowFor(IPEndPoint client)
    {
        if (_flows.TryGetValue(client, out var flow)) return flow;
        if (_flows.Count >= MaxFlows)
        {
            Log.ProxyTooManyFlows(_logger, _name, MaxFlows, client);
            return null;
        }
        var backend = new Socket(_target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        backend.Connect(_target); // UDP: only sets the peer, no packet
        flow = new Flow(client, backend);
        _flows[client] = flow;
        flow.Replies = RepliesAsync(flow);
        return flow;
    }

    /// <summary>Sends the container's datagrams on this flow back to its client, until the flow has been idle long enough.</summary>
    private async Task RepliesAsync(Flow flow)
    {
        await Task.Yield(); // not on the receive loop's stack
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        CancellationTokenSource? wait = null;
        try
        {
            while (true)
            {
                var idleLeft = _idleTimeout - flow.IdleFor;
                if (idleLeft <= TimeSpan.Zero) return;
                if (wait is null || !wait.TryReset())
                {
                    wait?.Dispose(); // a deadline that fired cannot be reset
                    wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                }
                wait.CancelAfter(idleLeft);
                int read;
                try
                {
                    read = await flow.Backend.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    continue; // the idle deadline: check whether the client sent meanwhile
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    continue; // an earlier datagram met a closed port (ICMP): keep the flow, as docker-proxy does
                }
                flow.Touch();
                await _listener.SendToAsync(buffer.AsMemory(0, read), SocketFlags.None, flow.Client, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _flows.TryRemove(new KeyValuePair<IPEndPoint, Flow>(flow.Client, flow));
            flow.Backend.Dispose();
            wait?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class Flow(IPEndPoint client, Socket backend)
    {
        private long _lastActive = Environment.TickCount64;

        public IPEndPoint Client { get; } = client;
        public Socket Backend { get; } = backend;
        public Task Replies { get; set; } = Task.CompletedTask;
        public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastActive));
        public void Touch() => Interlocked.Exchange(ref _lastActive, Environment.TickCount64);
    }
}
