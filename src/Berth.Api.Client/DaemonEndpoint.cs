using System.Net;
using System.Net.Sockets;

namespace Berth.Api.Client;

/// <summary>
/// Where the daemon listens: <c>unix:///path</c> or <c>tcp://host[:port]</c> (plain HTTP). Resolved from
/// <c>-H/--host</c>, then <c>DOCKER_HOST</c>, then the default socket.
/// </summary>
public sealed class DaemonEndpoint
{
    public const string DefaultHost = "unix:///run/berth/berth.sock";
    public const int DefaultTcpPort = 2375;

    private DaemonEndpoint(string original, string? socketPath, string? tcpHost, int tcpPort)
    {
        Original = original;
        SocketPath = socketPath;
        TcpHost = tcpHost;
        TcpPort = tcpPort;
    }

    /// <summary>The host string as the user wrote it, for messages (<c>Cannot connect to … at X</c>).</summary>
    public string Original { get; }

    /// <summary>Set for <c>unix://</c> endpoints.</summary>
    public string? SocketPath { get; }

    public string? TcpHost { get; }
    public int TcpPort { get; }

    public bool IsUnix => SocketPath is not null;

    /// <summary>The base URI requests are addressed to; for UNIX sockets the host name is only a label.</summary>
    public Uri BaseUri => IsUnix ? new Uri("http://api.moby.localhost/") : new Uri($"http://{HostHeader}/");

    /// <summary>The <c>Host</c> header value (Go sends <c>api.moby.localhost</c> for UNIX sockets).</summary>
    public string HostHeader => IsUnix ? "api.moby.localhost"
        : TcpHost!.Contains(':') ? $"[{TcpHost}]:{TcpPort}" : $"{TcpHost}:{TcpPort}";

    /// <summary>The first of: the <c>-H</c> value, <c>DOCKER_HOST</c>, <see cref="DefaultHost"/>.</summary>
    public static DaemonEndpoint Resolve(string? hostFlag, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = !string.IsNullOrEmpty(hostFlag) ? hostFlag : environment("DOCKER_HOST");
        return Parse(string.IsNullOrEmpty(host) ? DefaultHost : host);
    }

    /// <exception cref="FormatException">The scheme is not <c>unix</c> or <c>tcp</c>, or the address is malformed.</exception>
    public static DaemonEndpoint Parse(string host)
    {
        if (host.StartsWith('/'))
            return new DaemonEndpoint(host, host, null, 0);
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host["unix://".Length..];
            if (path.Length == 0)
                throw new FormatException($"invalid host: {host}: empty socket path");
            return new DaemonEndpoint(host, path, null, 0);
        }
        if (host.StartsWith("tcp://", StringComparison.Ordinal) || host.StartsWith("http://", StringComparison.Ordinal))
        {
            var rest = host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            if (rest.Length == 0)
                throw new FormatException($"invalid host: {host}: empty address");
            var (name, port) = SplitHostPort(rest, host);
            return new DaemonEndpoint(host, null, name, port);
        }
        throw new FormatException($"invalid host: {host}: only unix:// and tcp:// are supported");
    }

    private static (string Host, int Port) SplitHostPort(string rest, string original)
    {
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
                throw new FormatException($"invalid host: {original}");
            var h = rest[1..close];
            var p = rest.Length > close + 1 && rest[close + 1] == ':' ? ParsePort(rest[(close + 2)..], original) : DefaultTcpPort;
            return (h, p);
        }
        var colon = rest.LastIndexOf(':');
        if (colon < 0)
            return (rest, DefaultTcpPort);
        var name = rest[..colon];
        return (name.Length == 0 ? "127.0.0.1" : name, ParsePort(rest[(colon + 1)..], original));
    }

    private static int ParsePort(string text, string original) =>
        int.TryParse(text, out var port) && port is > 0 and < 65536 ? port : throw new FormatException($"invalid host: {original}: bad port");

    /// <summary>Opens a connected stream socket to the daemon.</summary>
    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint endPoint;
        if (IsUnix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endPoint = new UnixDomainSocketEndPoint(SocketPath!);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            endPoint = IPAddress.TryParse(TcpHost, out var ip) ? new IPEndPoint(ip, TcpPort) : new DnsEndPoint(TcpHost!, TcpPort);
        }
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
