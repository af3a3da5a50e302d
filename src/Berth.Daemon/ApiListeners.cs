using System.Net;
using System.Net.Sockets;
using Berth.Api.Server.Hijack;
using Berth.Daemon.Configuration;
using Berth.Linux;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// The Engine API's listeners on Kestrel: UNIX sockets (root and <c>--group</c>, 0660), TCP (with TLS when configured)
/// and the sockets systemd passed (<c>fd://</c>). Every one serves HTTP/1.1 with the hijack middleware in front of
/// Kestrel's parser; with TLS, that middleware sits above the TLS layer and reads the decrypted stream.
/// </summary>
internal sealed class ApiListeners(DaemonSettings settings)
{
    private readonly HttpsConnectionAdapterOptions? _tls = settings.Tls is { } tls ? ServerTls.Options(tls) : null;

    /// <summary>The socket group's id; null when the default group does not exist (the socket keeps the daemon's group).</summary>
    private readonly uint? _gid = SocketGroup.Lookup(settings.Group)
        ?? (settings.GroupExplicit ? throw new ConfigurationException($"group {settings.Group} not found") : null);

    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var host in settings.Hosts)
        {
            switch (host)
            {
                case UnixHost unix:
                    PrepareSocketPath(unix.Path);
                    kestrel.ListenUnixSocket(unix.Path, listen => Serve(listen, tls: null));
                    break;
                case TcpHost tcp:
                    kestrel.Listen(new IPEndPoint(Resolve(tcp.Host), tcp.Port), listen => Serve(listen, _tls));
                    break;
                case FdHost fd:
                    var descriptors = SocketActivation.Descriptors(fd, Environment.GetEnvironmentVariable("LISTEN_PID"),
                        Environment.GetEnvironmentVariable("LISTEN_FDS"), Environment.ProcessId);
                    // systemd passes them inheritable: no shim or hook berthd starts may hold the API's socket open.
                    FileDescriptors.MarkAllCloseOnExec(3);
                    foreach (var descriptor in descriptors) kestrel.ListenHandle((ulong)descriptor, listen => Serve(listen, _tls));
                    break;
            }
        }
    }

    /// <summary>Once listening: the warnings dockerd gives, and the sockets' owner and mode.</summary>
    public void OnStarted(ILogger logger)
    {
        foreach (var host in settings.Hosts)
        {
            if (host is TcpHost && settings.Tls is not { Verify: true })
            {
                logger.InsecureTcp(host.ToString()!);
                logger.BrowserAccess(host.ToString()!);
            }
            if (host is UnixHost unix)
            {
                if (_gid is { } gid) OwnSocket(unix.Path, gid);
                else logger.GroupMissing(unix.Path, settings.Group);
                File.SetUnixFileMode(unix.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }
            logger.Listening(host.ToString()!);
        }
    }

    private static void Serve(ListenOptions listen, HttpsConnectionAdapterOptions? tls)
    {
        listen.Protocols = HttpProtocols.Http1; // the hijack speaks HTTP/1.1; so do Docker's clients
        if (tls is not null) listen.UseHttps(tls);
        listen.UseDockerHijack();
    }

    private static void OwnSocket(string path, uint gid)
    {
        using var dir = FileDescriptors.Open(Path.GetDirectoryName(path)!, OpenFlags.Directory | OpenFlags.ReadOnly);
        FileOwnership.ChownAt(dir, Path.GetFileName(path), uint.MaxValue, gid); // -1: the owner stays (root)
    }

    private static IPAddress Resolve(string host) =>
        IPAddress.TryParse(host, out var ip) ? ip
        : host == "localhost" ? IPAddress.Loopback
        : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ConfigurationException($"error parsing tcp address: no address for {host}");

    /// <summary>A socket file left by a daemon that died is removed; one that still answers belongs to a live daemon.</summary>
    internal static void PrepareSocketPath(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path)) return;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            throw new ConfigurationException($"another daemon is listening on {path}");
        }
        catch (SocketException)
        {
            File.Delete(path);
        }
    }
}
