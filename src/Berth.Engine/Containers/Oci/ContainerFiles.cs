using System.Net;
using System.Text;
using Berth.Engine.Containers.Model;

namespace Berth.Engine.Containers.Oci;

/// <summary>The host's files a container's /etc files start from.</summary>
public sealed record HostNameFiles(string? Hosts, string? ResolvConf, string ResolvConfPath = "/etc/resolv.conf")
{
    /// <summary>Reads this machine's /etc/hosts and /etc/resolv.conf (a missing one is null).</summary>
    public static HostNameFiles Read(string etc = "/etc") => new(
        ReadOrNull(Path.Combine(etc, "hosts")), ReadOrNull(Path.Combine(etc, "resolv.conf")), Path.Combine(etc, "resolv.conf"));

    private static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}

/// <summary>The text of a container's hostname, hosts and resolv.conf files.</summary>
public sealed record ContainerFileSet(string Hostname, string Hosts, string ResolvConf)
{
    public const string HostnameFile = "hostname";
    public const string HostsFile = "hosts";
    public const string ResolvConfFile = "resolv.conf";
}

/// <summary>
/// Produces and writes the files Docker bind-mounts onto a container's /etc/hostname, /etc/hosts and
/// /etc/resolv.conf. On the host's network the container sees the host's hosts file (unless it adds hosts) and the
/// host's resolvers; elsewhere Docker's generated hosts file and the host's resolvers less its loopback ones.
/// A <c>container:&lt;id&gt;</c> container uses the other container's files: the engine passes those paths instead.
/// </summary>
public static class ContainerFiles
{
    /// <param name="addresses">The container's own addresses on its networks (none for none and host).</param>
    /// <param name="ipv6">Whether the container's network has IPv6.</param>
    public static ContainerFileSet Create(
        string hostname, ContainerConfig config, HostConfig hostConfig, HostNameFiles host,
        IReadOnlyList<IPAddress>? addresses = null, bool ipv6 = false, IReadOnlyList<IPAddress>? hostGateway = null,
        bool internalResolver = false)
    {
        var network = NetworkMode.Parse(hostConfig.NetworkMode);
        var hosts = network.IsHost && hostConfig.ExtraHosts.Count == 0
            ? host.Hosts ?? ""
            : EtcHosts.Build(hostname, config.Domainname, hostConfig.ExtraHosts, addresses ?? [], ipv6: true, hostGateway);
        var resolv = ResolvConf.Build(host.ResolvConf, host.ResolvConfPath, hostConfig.Dns, hostConfig.DnsSearch, hostConfig.DnsOptions,
            removeLoopback: !network.IsHost, ipv6, internalResolver);
        return new ContainerFileSet(hostname + "\n", hosts, resolv);
    }

    /// <summary>
    /// Writes the three files into <paramref name="directory"/> (the container's state directory), each through a
    /// temporary file and a rename, so a reader never sees half a file. Returns their paths. Before the container
    /// starts only: a rename gives the path a new inode, and a running container's bind mount keeps the old one.
    /// </summary>
    public static (string Hostname, string Hosts, string ResolvConf) Write(string directory, ContainerFileSet files)
    {
        Directory.CreateDirectory(directory);
        var hostname = Path.Combine(directory, ContainerFileSet.HostnameFile);
        var hosts = Path.Combine(directory, ContainerFileSet.HostsFile);
        var resolv = Path.Combine(directory, ContainerFileSet.ResolvConfFile);
        WriteAtomically(hostname, files.Hostname);
        WriteAtomically(hosts, files.Hosts);
        WriteAtomically(resolv, files.ResolvConf);
        return (hostname, hosts, resolv);
    }

    public static void WriteAtomically(string path, string text)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                // No fsync: these files are written again before every start, so a crash can only lose a copy nobody reads.
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
