using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Ports;

/// <summary>
/// The TCP half of <see cref="PortProxy"/>: accepts on the host socket and relays each connection to the container,
/// both ways at once, one fixed buffer per direction (a slow reader slows its writer; nothing queues up). An end of
/// stream on one side becomes a half-close (shutdown of writes) on the other, so request/response protocols that
/// close their sending side still get their answer; an error on either side closes both.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private const int BufferSize = 32 * 1024; // as io.Copy in docker-proxy

    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly Task _acceptLoop;

    public TcpForwarder(Socket listener, IPEndPoint target, string name, ILogger logger)
    {
        (_listener, _target, _name, _logger) = (listener, target, name, logger);
        _acceptLoop = AcceptLoopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        // The accept loop is over, so no connection registers after this.
        foreach (var connection in _connections.Keys) connection.Close();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before it was accepted, or out of descriptors: keep serving, after a pause if it may last.
                Log.ProxyAcceptFailed(_logger, _name, e.Message);
                if (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable) await PauseAsync();
                continue;
            }
            Connection connection;
            try
            {
                connection = new Connection(client, new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
            }
            catch (SocketException e)
            {
                client.Dispose(); // no descriptor for the container's side: this client cannot be served
                Log.ProxyAcceptFailed(_logger, _name, e.Message);
                await PauseAsync();
                continue;
            }
            _connections.TryAdd(connection, 0);
            _ = RelayAsync(connection);
        }
    }

    private async Task PauseAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RelayAsync(Connection connection)
    {
        var (client, backend) = (connection.Client, connection.Backend);
        var peer = client.RemoteEndPoint;
        var reason = "closed";
        try
        {
            client.NoDelay = true; // as docker-proxy (Go sets it on every TCP connection)
            backend.NoDelay = true;
            await backend.ConnectAsync(_target, _stop.Token);
            await Task.WhenAll(PumpAsync(client, backend), PumpAsync(backend, client));
        }
        catch (Exception e)
        {
            reason = e.Message;
        }
        finally
        {
            connection.Close();
            _connections.TryRemove(connection, out _);
            Log.ProxyConnectionEnded(_logger, _name, peer, reason);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch
        {
            // Ends the other direction too: its pending receive or send fails on the closed socket.
            from.Dispose();
            to.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed record Connection(Socket Client, Socket Backend)
    {
        public void Close()
        {
            Client.Dispose();
            Backend.Dispose();
        }
    }
}
