using System.Net;

namespace Berth.Network.Ports;

/// <summary>
/// One published port (<c>-p</c>): where the host listens and the container address it leads to. Before the proxy
/// starts, <see cref="HostPort"/> 0 asks for a free port of the kernel's ephemeral range and a
/// <see cref="HostPortEnd"/> above it asks for the first free port of that range (<c>-p 8000-8010:80</c>);
/// <see cref="PortProxy.Mapping"/> gives the port actually bound, with <see cref="HostPortEnd"/> equal to it.
/// </summary>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="HostIp">The host address to listen on; 0.0.0.0 (or ::) means every address of that family.</param>
/// <param name="HostPort">The host port; 0 picks a free one.</param>
/// <param name="ContainerIp">The container's address on its network.</param>
/// <param name="ContainerPort">The container's port.</param>
public sealed record PortMapping(string Protocol, IPAddress HostIp, int HostPort, IPAddress ContainerIp, int ContainerPort)
{
    public const string Tcp = "tcp";
    public const string Udp = "udp";

    /// <summary>The last port of a host range to pick one from; 0 means <see cref="HostPort"/> alone.</summary>
    public int HostPortEnd { get; init; }

    /// <summary>Docker's notation, e.g. <c>0.0.0.0:8080:172.17.0.2:80/tcp</c> (IPv6 addresses in brackets).</summary>
    public override string ToString() => $"{Format(HostIp, HostPort)}:{Format(ContainerIp, ContainerPort)}/{Protocol}";

    internal static string Format(IPAddress address, int port) => new IPEndPoint(address, port).ToString();
}
