using System.Net;
using System.Net.Sockets;

namespace Berth.Api.Client;

/// <summary>
/// Where the daemon listens: <c>unix:///path</c>, <c>tcp://host[:port]</c> (plain HTTP, or TLS when
/// <see cref="Tls"/> is set: port 2376 by default), or <c>ssh://[user@]host[:port]</c> (the remote
/// <c>berth system dial-stdio</c> over ssh, as docker's connection helper does).
/// </summary>
public sealed class DaemonEndpoint
{
    public const string DefaultHost = "unix:///run/berth/berth.sock";
    public const int DefaultTcpPort = 2375;
    public const int DefaultTlsPort = 2376;

    private DaemonEndpoint(string original, string? socketPath, string? tcpHost, int tcpPort, TlsSettings? tls, SshTarget? ssh)
    {
        Original = original;
        SocketPath = socketPath;
        TcpHost = tcpHost;
        TcpPort = tcpPort;
        Tls = tls;
        Ssh = ssh;
    }

    /// <summary>The host string as the user wrote it, for messages (<c>Cannot connect to … at X</c>).</summary>
    public string Original { get; }

    /// <summary>Set for <c>unix://</c> endpoints.</summary>
    public string? SocketPath { get; }

    public string? TcpHost { get; }
    public int TcpPort { get; }

    /// <summary>Set when a <c>tcp://</c> endpoint speaks TLS.</summary>
    public TlsSettings? Tls { get; }

    /// <summary>Set for <c>ssh://</c> endpoints.</summary>
    public SshTarget? Ssh { get; }

    public bool IsUnix => SocketPath is not null;

    /// <summary>The base URI requests are addressed to; the connection (TLS included) is made by <see cref="ConnectAsync"/>.</summary>
    public Uri BaseUri => new($"http://{HostHeader}/");

    /// <summary>The <c>Host</c> header value (Go sends <c>api.moby.localhost</c> where no TCP host is dialled).</summary>
    public string HostHeader => TcpHost is null ? "api.moby.localhost"
        : TcpHost.Contains(':') ? $"[{TcpHost}]:{TcpPort}" : $"{TcpHost}:{TcpPort}";

    /// <param name="tls">TLS for a <c>tcp://</c> host (ignored for the others, as docker ignores it).</param>
    /// <exception cref="FormatException">The scheme is not <c>unix</c>, <c>tcp</c> or <c>ssh</c>, or the address is malformed.</exception>
    public static DaemonEndpoint Parse(string host, TlsSettings? tls = null)
    {
        if (host.StartsWith('/'))
            return new DaemonEndpoint(host, host, null, 0, null, null);
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host["unix://".Length..];
            if (path.Length == 0)
                throw new FormatException($"invalid host: {host}: empty socket path");
            return new DaemonEndpoint(host, path, null, 0, null, null);
        }
        if (host.StartsWith("tcp://", StringComparison.Ordinal) || host.StartsWith("http://", StringComparison.Ordinal)
            || host.StartsWith("https://", StringComparison.Ordinal))
        {
            var rest = host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            if (rest.Length == 0)
                throw new FormatException($"invalid host: {host}: empty address");
            tls ??= host.StartsWith("https://", StringComparison.Ordinal) ? new TlsSettings(null, null, null, Verify: true) : null;
            var (name, port) = SplitHostPort(rest, host, tls is null ? DefaultTcpPort : DefaultTlsPort);
            return new DaemonEndpoint(host, null, name, port, tls, null);
        }
        if (host.StartsWith("ssh://", StringComparison.Ordinal))
            return new DaemonEndpoint(host, null, null, 0, null, SshTarget.Parse(host));
        throw new FormatException($"invalid host: {host}: only unix://, tcp:// and ssh:// are supported");
    }

    private static (string Host, int Port) SplitHostPort(string rest, string original, int defaultPort)
    {
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
                throw new FormatException($"invalid host: {original}");
            var h = rest[1..close];
            var p = rest.Length > close + 1 && rest[close + 1] == ':' ? ParsePort(rest[(close + 2)..], original) : defaultPort;
            return (h, p);
        }
        var colon = rest.LastIndexOf(':');
        if (colon < 0)
            return (rest, defaultPort);
        var name = rest[..colon];
        return (name.Length == 0 ? "127.0.0.1" : name, ParsePort(rest[(colon + 1)..], original));
    }

    internal static int ParsePort(string text, string original) =>
        int.TryParse(text, out var port) && port is > 0 and < 65536 ? port : throw new FormatException($"invalid host: {original}: bad port");

    /// <summary>Opens a connection to the daemon (TLS handshake or ssh helper included).</summary>
    /// <exception cref="SocketException">Nothing listens there.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS handshake failed.</exception>
    public async Task<DaemonConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Ssh is not null)
            return Ssh.Start();
        var socket = await ConnectSocketAsync(cancellationToken).ConfigureAwait(false);
        if (Tls is null)
            return DaemonConnection.OverSocket(socket);
        try
        {
            return DaemonConnection.OverTls(await Tls.AuthenticateAsync(new NetworkStream(socket, ownsSocket: true), TcpHost!, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Socket> ConnectSocketAsync(CancellationToken cancellationToken)
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
