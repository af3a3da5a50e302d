using System.Net.Sockets;
using System.Text;
using Berth.Api.Client;

namespace Berth.Cli.Tests.Fakes;

/// <summary>
/// A scripted HTTP/1.1 server on a temporary UNIX socket: each accepted request (head and Content-Length body)
/// goes to <see cref="Handler"/>, which writes whatever raw bytes it likes to the connection.
/// </summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeDaemon(Func<Request, NetworkStream, Task> handler)
    {
        _directory = Directory.CreateTempSubdirectory("berth-daemon-test-").FullName;
        SocketPath = Path.Combine(_directory, "d.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(8);
        Handler = handler;
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }
    public Func<Request, NetworkStream, Task> Handler { get; }
    public List<Request> Requests { get; } = [];

    public BerthClient Client() => new(DaemonEndpoint.Parse("unix://" + SocketPath));

    public sealed record Request(string Method, string Target, Dictionary<string, string> Headers, byte[] Body);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = ServeAsync(new NetworkStream(connection, ownsSocket: true));
        }
    }

    private async Task ServeAsync(NetworkStream stream)
    {
        await using var _ = stream;
        while (await ReadRequestAsync(stream) is { } request)
        {
            lock (Requests)
                Requests.Add(request);
            await Handler(request, stream);
            if (request.Headers.GetValueOrDefault("Upgrade") is not null)
                return;
        }
    }

    private static async Task<Request?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = new byte[headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0];
        await stream.ReadExactlyAsync(body);
        return new Request(parts[0], parts[1], headers, body);
    }

    public static Task Respond(NetworkStream stream, int status, string contentType, string body, string reason = "X")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n\r\n";
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(bytes).ToArray()).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        Directory.Delete(_directory, recursive: true);
    }
}
