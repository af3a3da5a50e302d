using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>
/// A tiny upstream DNS server on 127.0.0.1 (a random port, UDP and TCP on the same one): answers every A question
/// with <see cref="Answer"/> (TTL 42), or with <see cref="Rcode"/> when set, or not at all when <see cref="Silent"/>.
/// Records the names it was asked. Linked into the privileged tests too.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _tcp = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop, _tcpLoop;

    public FakeUpstream(IPAddress answer, DnsRcode? rcode = null, bool silent = false)
    {
        (Answer, Rcode, Silent) = (answer, rcode, silent);
        _tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _tcp.Listen();
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)_tcp.LocalEndPoint!).Port));
        _udpLoop = ServeUdpAsync();
        _tcpLoop = ServeTcpAsync();
    }

    public IPAddress Answer { get; }
    public DnsRcode? Rcode { get; }
    public bool Silent { get; }
    public IPEndPoint EndPoint => (IPEndPoint)_udp.LocalEndPoint!;
    public ConcurrentQueue<(string Protocol, string Name)> Asked { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Dispose();
        await Task.WhenAll(_udpLoop, _tcpLoop).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private byte[]? Respond(byte[] query, string protocol)
    {
        var parsed = DnsReader.Read(query);
        Asked.Enqueue((protocol, parsed.Questions[0].Name));
        if (Silent) return null;
        var answers = Rcode is null ? [DnsRecord.ForAddress(parsed.Questions[0].Name, Answer, 42)] : Array.Empty<DnsRecord>();
        return DnsWriter.Write(DnsMessage.ReplyTo(parsed, Rcode ?? DnsRcode.NoError, answers));
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            if (Respond(buffer[..received.ReceivedBytes], "udp") is { } answer) await _udp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint);
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _tcp.AcceptAsync(_stop.Token);
            await using var stream = new NetworkStream(client);
            var length = new byte[2];
            await stream.ReadExactlyAsync(length, _stop.Token);
            var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await stream.ReadExactlyAsync(query, _stop.Token);
            if (Respond(query, "tcp") is not { } answer) continue;
            await stream.WriteAsync(DnsProbe.Frame(answer), _stop.Token);
        }
    }
}

/// <summary>A DNS client for tests: one query, over UDP or TCP, to one server, with a bounded wait.</summary>
internal static class DnsProbe
{
    public static byte[] Query(string name, ushort type, ushort id = 0x1234, int? edns = null)
    {
        var message = new DnsMessage
        {
            Id = id,
            RecursionDesired = true,
            Questions = [new DnsQuestion(name, type)],
            Additionals = edns is { } size ? [new DnsRecord("", DnsType.Opt, (ushort)size, 0, [])] : [],
        };
        return DnsWriter.Write(message);
    }

    public static async Task<DnsMessage> AskAsync(EndPoint server, byte[] query, bool tcp = false, int timeoutSeconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        using var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        await socket.ConnectAsync(server, timeout.Token);
        if (!tcp)
        {
            await socket.SendAsync(query, SocketFlags.None, timeout.Token);
            var buffer = new byte[65535];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return DnsReader.Read(buffer.AsSpan(0, read));
        }
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Frame(query), timeout.Token);
        var length = new byte[2];
        await stream.ReadExactlyAsync(length, timeout.Token);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        await stream.ReadExactlyAsync(answer, timeout.Token);
        return DnsReader.Read(answer);
    }

    public static byte[] Frame(byte[] message)
    {
        var framed = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        return framed;
    }
}

/// <summary>An <see cref="IDnsNames"/> over a fixed table (names lower case, no trailing dot).</summary>
internal sealed class FakeNames(Dictionary<string, IPAddress[]> names) : IDnsNames
{
    /// <summary>A name whose lookup throws, as a broken engine would.</summary>
    public string? Throws { get; init; }

    public IReadOnlyList<IPAddress>? ResolveA(string name) => name == Throws ? throw new InvalidOperationException("broken") : names.GetValueOrDefault(name);

    public string? ResolvePtr(IPAddress address) => names.FirstOrDefault(n => n.Value.Contains(address)).Key;
}
