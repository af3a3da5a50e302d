using System.Net.Sockets;
using System.Text;
using Berth.Spdy;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>
/// A client of the CRI's streaming URLs as client-go's is: a POST asking for an Upgrade to SPDY/3.1 with the
/// sub-protocols it speaks, then a SPDY session whose streams it opens.
/// </summary>
internal sealed class StreamingClient : IAsyncDisposable
{
    private StreamingClient(SpdyConnection connection, string protocol)
    {
        Connection = connection;
        Protocol = protocol;
    }

    public SpdyConnection Connection { get; }
    public string Protocol { get; }

    /// <summary>The session, or the refusal's status line and body.</summary>
    public static async Task<(StreamingClient? Client, string Response)> ConnectAsync(string url, params string[] protocols)
    {
        var uri = new Uri(url);
        var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var request = new StringBuilder($"POST {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nContent-Length: 0\r\n");
        foreach (var protocol in protocols) request.Append($"X-Stream-Protocol-Version: {protocol}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        var head = await ReadHeadAsync(stream);
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            var body = new byte[4096];
            var read = await stream.ReadAsync(body).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            tcp.Dispose();
            return (null, head + Encoding.UTF8.GetString(body, 0, read));
        }
        var chosen = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Equals("X-Stream-Protocol-Version", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).Single();
        return (new StreamingClient(new SpdyConnection(stream, isServer: false), chosen), head);
    }

    public Task<SpdyStream> OpenAsync(params (string Name, string Value)[] headers) =>
        Connection.OpenStreamAsync(headers.ToDictionary(h => h.Name, h => h.Value)).WaitAsync(TimeSpan.FromSeconds(30));

    public static async Task<string> ReadAllAsync(Stream stream)
    {
        using var all = new MemoryStream();
        await stream.CopyToAsync(all).WaitAsync(TimeSpan.FromSeconds(60));
        return Encoding.UTF8.GetString(all.ToArray());
    }

    /// <summary>Reads until <paramref name="expected"/> has come (a terminal's output has no end to wait for).</summary>
    public static async Task<string> ReadUntilAsync(Stream stream, string expected)
    {
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!seen.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return seen.ToString();
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1)
            head.Append((char)one[0]);
        return head.ToString();
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
