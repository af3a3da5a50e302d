using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Spdy.Tests;

/// <summary>A client and a server session over a loopback TCP connection.</summary>
public sealed class ConnectionTests : IAsyncLifetime
{
    private SpdyConnection _client = null!;
    private SpdyConnection _server = null!;

    public async Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var accepted = await listener.AcceptTcpClientAsync();
        _client = new SpdyConnection(client.GetStream(), isServer: false);
        _server = new SpdyConnection(accepted.GetStream(), isServer: true);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_carries_bytes_both_ways_and_each_side_ends_its_half()
    {
        var opening = _client.OpenStreamAsync(new Dictionary<string, string> { ["streamtype"] = "stdin" });
        var accepted = await _server.AcceptStreamAsync();
        Assert.NotNull(accepted);
        Assert.Equal("stdin", accepted.Headers["streamtype"]);
        await accepted.ReplyAsync();
        var stream = await opening;

        await stream.WriteAsync("ping"u8.ToArray());
        await stream.CloseWriteAsync();
        Assert.Equal("ping", await ReadAllAsync(accepted));

        await accepted.WriteAsync("pong"u8.ToArray());
        await accepted.CloseWriteAsync();
        Assert.Equal("pong", await ReadAllAsync(stream));
    }

    [Fact]
    public async Task Streams_get_odd_ids_from_the_client_in_order()
    {
        var first = _client.OpenStreamAsync(new Dictionary<string, string> { ["n"] = "1" });
        var second = _client.OpenStreamAsync(new Dictionary<string, string> { ["n"] = "2" });
        var a = (await _server.AcceptStreamAsync())!;
        var b = (await _server.AcceptStreamAsync())!;
        await a.ReplyAsync();
        await b.ReplyAsync();

        var ids = new[] { (await first).Id, (await second).Id };
        Assert.Equal([1u, 3u], ids);
        Assert.Equal(["1", "2"], [a.Headers["n"], b.Headers["n"]]);
    }

    [Fact]
    public async Task A_reset_ends_the_peers_reads()
    {
        var opening = _client.OpenStreamAsync(new Dictionary<string, string>());
        var accepted = (await _server.AcceptStreamAsync())!;
        await accepted.ReplyAsync();
        var stream = await opening;

        await stream.ResetAsync();

        Assert.Equal("", await ReadAllAsync(accepted));
        await Assert.ThrowsAsync<IOException>(async () => await accepted.WriteAsync("late"u8.ToArray()));
    }

    [Fact]
    public async Task The_end_of_a_session_ends_its_streams_and_the_accept_loop()
    {
        var opening = _client.OpenStreamAsync(new Dictionary<string, string>());
        var accepted = (await _server.AcceptStreamAsync())!;
        await accepted.ReplyAsync();
        await opening;

        await _client.DisposeAsync();

        Assert.Null(await _server.AcceptStreamAsync());
        Assert.Equal("", await ReadAllAsync(accepted));
        await _server.Closed;
    }

    [Fact]
    public async Task A_ping_from_the_peer_is_echoed_and_its_own_are_not()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var server = new SpdyConnection((await listener.AcceptTcpClientAsync()).GetStream(), isServer: true);
        var writer = new FrameWriter(raw.GetStream());
        using var reader = new FrameReader(raw.GetStream());

        await writer.WriteAsync(new PingFrame(2)); // an even id is the server's own: an answer, not echoed
        await writer.WriteAsync(new PingFrame(5));

        Assert.Equal(new PingFrame(5), await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy).WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.UTF8.GetString(copy.ToArray());
    }
}
