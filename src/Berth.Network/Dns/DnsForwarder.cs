using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>
/// Sends the queries the embedded server does not answer itself to the upstream servers, as Docker's resolver does:
/// from the daemon's own network namespace (so the host's loopback resolvers, e.g. systemd-resolved's 127.0.0.53,
/// work), over the client's transport, at most three servers in order, 4 s each; a server that fails, times out or
/// answers SERVFAIL or REFUSED passes the query to the next. At most 1024 forwards are in flight; a query that
/// cannot get a slot within the timeout is REFUSED. Each forward uses a socket of its own and a fresh random id, and
/// only an answer with that id from that server is taken; the client's id is put back.
/// </summary>
internal sealed class DnsForwarder(IReadOnlyList<IPEndPoint> upstreams, ILogger logger)
{
    /// <summary>Docker's maxExtDNS, extIOTimeout and maxConcurrent.</summary>
    internal const int MaxUpstreams = 3, MaxConcurrent = 1024;

    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(4);

    private readonly IReadOnlyList<IPEndPoint> _upstreams = upstreams.Take(MaxUpstreams).ToList();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private int _waiting;

    internal TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The upstream's answer with the client's id, or null when no server gave a usable one (the caller answers SERVFAIL).</summary>
    public async Task<byte[]?> ForwardAsync(ReadOnlyMemory<byte> query, DnsMessage parsed, bool tcp, CancellationToken stop)
    {
        var name = parsed.Questions[0].Name;
        foreach (var upstream in _upstreams)
        {
            if (!await TakeSlotAsync(stop)) return DnsWriter.Write(DnsMessage.ReplyTo(parsed, DnsRcode.Refused));
            byte[]? answer;
            try
            {
                answer = await ExchangeAsync(upstream, query, tcp, stop);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException && !stop.IsCancellationRequested)
            {
                Log.DnsUpstreamFailed(logger, name, tcp ? "tcp" : "udp", upstream, e is OperationCanceledException ? "timeout" : e.Message);
                continue;
            }
            finally
            {
                _slots.Release();
            }
            var rcode = (DnsRcode)(answer[3] & 0xF);
            if (rcode is DnsRcode.ServFail or DnsRcode.Refused)
            {
                Log.DnsUpstreamFailed(logger, name, tcp ? "tcp" : "udp", upstream, rcode.ToString());
                continue;
            }
            BinaryPrimitives.WriteUInt16BigEndian(answer, parsed.Id);
            return answer;
        }
        return null;
    }

    private async Task<bool> TakeSlotAsync(CancellationToken stop)
    {
        // Waiters are bounded too: past twice the slots, a query is refused at once rather than queued.
        if (Interlocked.Increment(ref _waiting) > 2 * MaxConcurrent)
        {
            Interlocked.Decrement(ref _waiting);
            Log.DnsTooManyForwards(logger, MaxConcurrent);
            return false;
        }
        try
        {
            if (await _slots.WaitAsync(Timeout, stop)) return true;
            Log.DnsTooManyForwards(logger, MaxConcurrent);
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task<byte[]> ExchangeAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, bool tcp, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(Timeout);
        var request = query.ToArray();
        var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        BinaryPrimitives.WriteUInt16BigEndian(request, id);
        using var socket = new Socket(upstream.AddressFamily, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        await socket.ConnectAsync(upstream, timeout.Token);
        return tcp ? await ExchangeTcpAsync(socket, request, id, timeout.Token) : await ExchangeUdpAsync(socket, request, id, timeout.Token);
    }

    private static async Task<byte[]> ExchangeUdpAsync(Socket socket, byte[] request, ushort id, CancellationToken token)
    {
        await socket.SendAsync(request, SocketFlags.None, token);
        // 65535, not 512: an oversized answer from a server that ignores EDNS is relayed whole, as Docker does.
        var buffer = new byte[65535];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            // The socket is connected, so only that server's datagrams arrive; one with another id is stale or forged.
            if (IsAnswer(buffer.AsSpan(0, read), id)) return buffer.AsSpan(0, read).ToArray();
        }
    }

    private static async Task<byte[]> ExchangeTcpAsync(Socket socket, byte[] request, ushort id, CancellationToken token)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[2 + request.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)request.Length);
        request.CopyTo(framed, 2);
        await stream.WriteAsync(framed, token);
        var length = new byte[2];
        await stream.ReadExactlyAsync(length, token);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        await stream.ReadExactlyAsync(answer, token);
        return IsAnswer(answer, id) ? answer : throw new IOException("an answer with another id");
    }

    private static bool IsAnswer(ReadOnlySpan<byte> message, ushort id) =>
        message.Length >= DnsReader.HeaderSize && BinaryPrimitives.ReadUInt16BigEndian(message) == id && (message[2] & 0x80) != 0;
}
