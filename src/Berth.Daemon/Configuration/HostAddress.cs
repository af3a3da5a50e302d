namespace Berth.Daemon.Configuration;

/// <summary>Where the Engine API is served: a <c>-H</c> value (or an entry of daemon.json's <c>hosts</c>).</summary>
public abstract record HostAddress
{
    /// <summary>dockerd's ports: 2375 for plain TCP, 2376 with TLS.</summary>
    public const int PlainPort = 2375, TlsPort = 2376;

    /// <summary>
    /// dockerd's forms: <c>unix:///path</c> (<c>unix://</c> alone is the default socket), <c>tcp://host:port</c>
    /// (<c>tcp://</c> alone is 127.0.0.1; a missing port is 2375, or 2376 with TLS), <c>fd://</c> (every socket systemd
    /// passed) or <c>fd://N</c> (only descriptor N).
    /// </summary>
    public static HostAddress Parse(string value, bool tls, string defaultSocket)
    {
        var trimmed = value.Trim();
        var separator = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0) throw new ConfigurationException($"invalid argument \"{value}\" for \"-H, --host\" flag: Invalid bind address format: {value}");
        var scheme = trimmed[..separator];
        var rest = trimmed[(separator + 3)..];
        return scheme switch
        {
            "unix" => new UnixHost(rest.Length == 0 ? defaultSocket : Path.GetFullPath(rest)),
            "tcp" => ParseTcp(value, rest, tls),
            "fd" => new FdHost(rest is "" or "*" ? null : int.TryParse(rest, out var fd) && fd >= 3 ? fd
                : throw new ConfigurationException($"failed to parse systemd fd address: should be a number: {rest}")),
            _ => throw new ConfigurationException($"invalid argument \"{value}\" for \"-H, --host\" flag: Invalid bind address format: {value}"),
        };
    }

    private static TcpHost ParseTcp(string value, string rest, bool tls)
    {
        var defaultPort = tls ? TlsPort : PlainPort;
        if (rest.Length == 0) return new TcpHost("127.0.0.1", defaultPort);
        if (rest.Contains('/')) throw new ConfigurationException($"invalid bind address ({value}): should not contain a path element");
        var uri = Uri.TryCreate("tcp://" + rest, UriKind.Absolute, out var parsed) ? parsed
            : throw new ConfigurationException($"invalid argument \"{value}\" for \"-H, --host\" flag: invalid bind address format: {rest}");
        var host = uri.Host.Trim('[', ']');
        if (host.Length == 0) host = "0.0.0.0";
        return new TcpHost(host, uri.IsDefaultPort || uri.Port <= 0 ? defaultPort : uri.Port);
    }
}

public sealed record UnixHost(string Path) : HostAddress
{
    public override string ToString() => "unix://" + Path;
}

public sealed record TcpHost(string Host, int Port) : HostAddress
{
    public override string ToString() => $"tcp://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";
}

/// <summary>Sockets systemd passed (<c>LISTEN_FDS</c>): all of them, or only <see cref="Descriptor"/>.</summary>
public sealed record FdHost(int? Descriptor) : HostAddress
{
    public override string ToString() => "fd://" + (Descriptor?.ToString() ?? "");
}
