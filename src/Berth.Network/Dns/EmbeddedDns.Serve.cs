using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>The serving half: one UDP receive loop, one TCP accept loop, and the answer to one query.</summary>
public sealed partial class EmbeddedDns
{
    /// <summary>TCP clients at once; one more is closed at once (a container cannot exhaust the daemon's descriptors).</summary>
    internal const int MaxTcpConnections = 128;

    /// <summary>miekg/dns's idle timeout for a TCP connection between queries.</summary>
    private static readonly TimeSpan TcpIdleTimeout = TimeSpan.FromSeconds(8);

    private readonly ConcurrentDictionary<Socket, byte> _connections = new();

    private async Task ServeUdpAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65535);
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.DnsQueryDropped(_logger, "udp", null, e.Message);
                continue;
            }
            try
            {
                var answering = AnswerAsync(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), tcp: false);
                if (answering.IsCompleted) await ReplyUdpAsync(await answering, received.RemoteEndPoint);
                else _ = ReplyUdpLaterAsync(answering, received.RemoteEndPoint); // a forward: the next query need not wait for it
            }
            catch (Exception e)
            {
                // One query's failure (the client vanished, no descriptor left) never stops the server.
                if (_stop.IsCancellationRequested) return;
                Log.DnsQueryDropped(_logger, "udp", received.RemoteEndPoint, e.Message);
            }
        }
    }

    private async Task ReplyUdpLaterAsync(ValueTask<byte[]?> answering, EndPoint client)
    {
        try
        {
            await ReplyUdpAsync(await answering, client);
        }
        catch (Exception e)
        {
            Log.DnsQueryDropped(_logger, "udp", client, e.Message);
        }
    }

    private async ValueTask ReplyUdpAsync(byte[]? answer, EndPoint client)
    {
        if (answer is not null) await _udp.SendToAsync(answer, SocketFlags.None, client, _stop.Token);
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.DnsQueryDropped(_logger, "tcp", null, e.Message);
                continue;
            }
            if (_connections.Count >= MaxTcpConnections)
            {
                Log.DnsQueryDropped(_logger, "tcp", client.RemoteEndPoint, $"more than {MaxTcpConnections} connections");
                client.Dispose();
                continue;
            }
            _connections.TryAdd(client, 0);
            _ = ServeConnectionAsync(client);
        }
    }

    /// <summary>Length-prefixed queries (RFC 1035 §4.2.2), answered in order, until the client closes or stays idle.</summary>
    private async Task ServeConnectionAsync(Socket client)
    {
        var peer = client.RemoteEndPoint;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var length = new byte[2];
            while (true)
            {
                idle.CancelAfter(TcpIdleTimeout);
                if (await stream.ReadAtLeastAsync(length, 2, throwOnEndOfStream: false, idle.Token) < 2) return;
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                await stream.ReadExactlyAsync(query, idle.Token);
                idle.CancelAfter(Timeout.InfiniteTimeSpan); // a forward has its own timeout
                var answer = await AnswerAsync(query, tcp: true);
                if (answer is null) return; // not a query: nothing sensible to say on this stream
                var framed = new byte[2 + answer.Length];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                answer.CopyTo(framed, 2);
                await stream.WriteAsync(framed, _stop.Token);
            }
        }
        catch (Exception e)
        {
            Log.DnsQueryDropped(_logger, "tcp", peer, e.Message);
        }
        finally
        {
            client.Dispose();
            _connections.TryRemove(client, out _);
        }
    }

    /// <summary>
    /// The bytes to send back for <paramref name="query"/>, or null for none (a response, or too short to have an id).
    /// Completes at once unless the query is forwarded.
    /// </summary>
    internal ValueTask<byte[]?> AnswerAsync(byte[] query, bool tcp)
    {
        DnsMessage parsed;
        try
        {
            parsed = DnsReader.Read(query);
        }
        catch (DnsFormatException e)
        {
            Log.DnsQueryDropped(_logger, tcp ? "tcp" : "udp", null, e.Message);
            return ValueTask.FromResult(FormatError(query));
        }
        if (parsed.IsResponse) return ValueTask.FromResult<byte[]?>(null);
        // miekg/dns's server (Docker's) refuses these before its handler: other opcodes NOTIMP, not one question FORMERR.
        if (parsed.Opcode != 0) return ValueTask.FromResult<byte[]?>(DnsWriter.Write(DnsMessage.ReplyTo(parsed, DnsRcode.NotImp)));
        if (parsed.Questions.Count != 1) return ValueTask.FromResult<byte[]?>(DnsWriter.Write(DnsMessage.ReplyTo(parsed, DnsRcode.FormErr)));
        DnsMessage? local;
        try
        {
            local = _responder.Answer(parsed);
        }
        catch (Exception e)
        {
            // As Docker's resolver when its handler fails: SERVFAIL, so the client does not wait for a timeout.
            Log.DnsQueryDropped(_logger, tcp ? "tcp" : "udp", null, $"the lookup of {parsed.Questions[0].Name} failed: {e.Message}");
            local = DnsMessage.ReplyTo(parsed, DnsRcode.ServFail);
        }
        if (local is not null)
        {
            // Authoritative for container names, so ours to cut to what the client can take.
            var maxSize = tcp ? 65535 : parsed.EdnsUdpSize ?? DnsMessage.MinUdpSize;
            return ValueTask.FromResult<byte[]?>(DnsWriter.Write(local, maxSize));
        }
        return new ValueTask<byte[]?>(ForwardAsync(query, parsed, tcp));
    }

    private async Task<byte[]?> ForwardAsync(byte[] query, DnsMessage parsed, bool tcp) =>
        await _forwarder.ForwardAsync(query, parsed, tcp, _stop.Token) ?? DnsWriter.Write(DnsMessage.ReplyTo(parsed, DnsRcode.ServFail));

    /// <summary>FORMERR with the query's id and opcode, when at least its header could be read and it is a query.</summary>
    private static byte[]? FormatError(byte[] query)
    {
        if (query.Length < DnsReader.HeaderSize || (query[2] & 0x80) != 0) return null;
        var answer = new byte[DnsReader.HeaderSize];
        answer[0] = query[0];
        answer[1] = query[1];
        answer[2] = (byte)(0x80 | (query[2] & 0x79)); // QR, opcode and RD kept
        answer[3] = (byte)DnsRcode.FormErr;
        return answer;
    }
}
