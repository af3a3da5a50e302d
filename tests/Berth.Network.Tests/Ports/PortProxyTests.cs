using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Berth.Network.Ports;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Tests.Ports;

/// <summary>The proxy between 127.0.0.1 ports of this test: a "container" server the test runs, and clients.</summary>
public sealed class PortProxyTests : IAsyncLifetime
{
    private static readonly IPAddress Local = IPAddress.Loopback;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly HostPortAllocator _allocator = HostPortAllocator.FromKernel();
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
        _timeout.Dispose();
    }

    private PortProxy Start(string protocol, int containerPort, int hostPort = 0, int hostPortEnd = 0, TimeSpan? udpIdle = null)
    {
        var proxy = PortProxy.StartAll([new PortMapping(protocol, Local, hostPort, Local, containerPort) { HostPortEnd = hostPortEnd }], _allocator,
            NullLogger.Instance, udpIdle ?? TimeSpan.FromSeconds(90))[0];
        _owned.Add(proxy);
        return proxy;
    }

    [Fact]
    public async Task Tcp_connection_is_relayed_and_a_half_close_reaches_the_container()
    {
        // The container reads to the end of the request, then answers and closes: only a propagated half-close lets it answer.
        await using var container = new TestServer(async (socket, token) =>
        {
            var request = await ReadToEndAsync(socket, token);
            await socket.SendAsync(Encoding.ASCII.GetBytes("got:" + Encoding.ASCII.GetString(request)), SocketFlags.None, token);
        });
        var proxy = Start("tcp", container.Port);
        Assert.InRange(proxy.Mapping.HostPort, _allocator.First, _allocator.Last);
        Assert.Equal(proxy.Mapping.HostPort, proxy.Mapping.HostPortEnd);

        using var client = await ConnectAsync(proxy.Mapping.HostPort);
        await client.SendAsync("hello"u8.ToArray(), SocketFlags.None, _timeout.Token);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("got:hello", Encoding.ASCII.GetString(await ReadToEndAsync(client, _timeout.Token)));
    }

    [Fact]
    public async Task Tcp_relays_megabytes_both_ways_intact()
    {
        await using var container = new TestServer(async (socket, token) =>
        {
            var buffer = new byte[8192];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0) await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
        });
        var proxy = Start("tcp", container.Port);
        var payload = RandomNumberGenerator.GetBytes(4 << 20);
        using var client = await ConnectAsync(proxy.Mapping.HostPort);
        var sending = Task.Run(async () =>
        {
            await client.SendAsync(payload, SocketFlags.None, _timeout.Token);
            client.Shutdown(SocketShutdown.Send);
        });
        var echoed = await ReadToEndAsync(client, _timeout.Token);
        await sending;
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
    }

    [Fact]
    public async Task Port_held_by_another_process_fails_at_start_in_Dockers_words()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(Local, 0));
        other.Listen();
        var port = ((IPEndPoint)other.LocalEndPoint!).Port;
        var failure = Assert.Throws<PortBindException>(() => Start("tcp", 1, hostPort: port));
        Assert.Equal($"failed to bind host port 127.0.0.1:{port}/tcp: address already in use", failure.Message);
        Assert.Equal(port, _allocator.Reserve("tcp", Local, port, port)); // the failed start gave the port back

        using var otherUdp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        otherUdp.Bind(new IPEndPoint(Local, 0));
        var udpPort = ((IPEndPoint)otherUdp.LocalEndPoint!).Port;
        Assert.Equal($"failed to bind host port 127.0.0.1:{udpPort}/udp: address already in use",
            Assert.Throws<PortBindException>(() => Start("udp", 1, hostPort: udpPort)).Message);
    }

    [Fact]
    public async Task Port_held_by_another_mapping_is_already_allocated()
    {
        await using var container = new TestServer((_, _) => Task.CompletedTask);
        var first = Start("tcp", container.Port);
        var failure = Assert.Throws<PortBindException>(() => Start("tcp", container.Port, hostPort: first.Mapping.HostPort));
        Assert.Equal($"Bind for 127.0.0.1:{first.Mapping.HostPort} failed: port is already allocated", failure.Message);
    }

    [Fact]
    public void Picked_port_that_another_process_holds_is_skipped()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(Local, 0));
        other.Listen();
        var held = ((IPEndPoint)other.LocalEndPoint!).Port;
        var proxy = Start("tcp", 1, hostPort: held, hostPortEnd: Math.Min(held + 20, 65535));
        Assert.NotEqual(held, proxy.Mapping.HostPort);
        Assert.InRange(proxy.Mapping.HostPort, held + 1, held + 20);
    }

    [Fact]
    public async Task Port_on_several_addresses_is_one_port_free_on_all_of_them()
    {
        var second = IPAddress.Parse("127.0.0.2");
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(second, 0));
        other.Listen();
        var held = ((IPEndPoint)other.LocalEndPoint!).Port; // free on 127.0.0.1 (most likely), taken on 127.0.0.2
        await using var container = new TestServer(async (socket, token) => await socket.SendAsync("hi"u8.ToArray(), SocketFlags.None, token));
        var mapping = new PortMapping("tcp", Local, held, Local, container.Port) { HostPortEnd = Math.Min(held + 20, 65535) };
        var proxies = PortProxy.StartAll([mapping, mapping with { HostIp = second }], _allocator, NullLogger.Instance);
        _owned.AddRange(proxies);

        Assert.Equal([Local, second], proxies.Select(p => p.Mapping.HostIp));
        var port = proxies[0].Mapping.HostPort;
        Assert.NotEqual(held, port);
        Assert.Equal(port, proxies[1].Mapping.HostPort);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(second, port), _timeout.Token);
        Assert.Equal("hi", Encoding.ASCII.GetString(await ReadToEndAsync(client, _timeout.Token)));
    }

    [Fact]
    public async Task Dispose_stops_listening_closes_live_connections_and_frees_the_port()
    {
        var serverSide = new TaskCompletionSource();
        await using var container = new TestServer(async (socket, token) =>
        {
            serverSide.TrySetResult();
            await ReadToEndAsync(socket, token);
        });
        var proxy = Start("tcp", container.Port);
        var port = proxy.Mapping.HostPort;
        using var client = await ConnectAsync(port);
        await serverSide.Task.WaitAsync(Bound);

        await proxy.DisposeAsync();
        Assert.Equal(0, await ReadUntilClosedAsync(client)); // end of stream (or reset) rather than a hang
        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(port, _allocator.Reserve("tcp", Local, port, port));
    }

    [Fact]
    public async Task Connection_to_a_container_port_nobody_listens_on_is_closed()
    {
        using var unused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        unused.Bind(new IPEndPoint(Local, 0)); // bound, never listening: connections to it are refused
        var proxy = Start("tcp", ((IPEndPoint)unused.LocalEndPoint!).Port);
        using var client = await ConnectAsync(proxy.Mapping.HostPort);
        Assert.Equal(0, await ReadUntilClosedAsync(client));
    }

    [Fact]
    public async Task Udp_clients_each_get_their_own_replies_and_idle_flows_end()
    {
        using var container = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        container.Bind(new IPEndPoint(Local, 0));
        var echo = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            for (var i = 0; i < 2; i++)
            {
                var received = await container.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _timeout.Token);
                var reply = Encoding.ASCII.GetBytes("echo:" + Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes));
                await container.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, _timeout.Token);
            }
        });
        var proxy = Start("udp", ((IPEndPoint)container.LocalEndPoint!).Port, udpIdle: TimeSpan.FromSeconds(3));
        var target = new IPEndPoint(Local, proxy.Mapping.HostPort);
        using var one = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var two = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await one.ConnectAsync(target);
        await two.ConnectAsync(target);
        await one.SendAsync("one"u8.ToArray(), SocketFlags.None);
        Assert.Equal("echo:one", await ReceiveTextAsync(one));
        await two.SendAsync("two"u8.ToArray(), SocketFlags.None);
        Assert.Equal("echo:two", await ReceiveTextAsync(two));
        await echo.WaitAsync(Bound);

        var flows = (UdpForwarder)proxy.Forwarder;
        Wait.Until(() => flows.FlowCount == 0, "UDP flows idle past 3 s end");
    }

    private async Task<string> ReceiveTextAsync(Socket socket)
    {
        var buffer = new byte[2048];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(Local, port), _timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<int> ReadUntilClosedAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, _timeout.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return 0;
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken token)
    {
        using var all = new MemoryStream();
        var buffer = new byte[65536];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0) all.Write(buffer, 0, read);
        return all.ToArray();
    }

    /// <summary>A TCP server on 127.0.0.1 that runs <c>serve</c> for each connection, then closes it.</summary>
    private sealed class TestServer : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
        private readonly Task _loop;

        public TestServer(Func<Socket, CancellationToken, Task> serve)
        {
            _listener.Bind(new IPEndPoint(Local, 0));
            _listener.Listen();
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var socket = await _listener.AcceptAsync(_stop.Token);
                    _ = Task.Run(async () =>
                    {
                        using (socket) await serve(socket, _stop.Token);
                    });
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }
    }
}
