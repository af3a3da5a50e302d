using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Engine.Networks;
using W = Berth.Api.Models.Containers;

namespace Berth.Api.Server.Compat;

/// <summary>
/// A container's networks as inspect and list show them: an entry per network (address, gateway, MAC while it
/// runs; empty otherwise), the published ports, and the top-level fields Docker still fills from the default bridge.
/// </summary>
public static class NetworkSettingsMapper
{
    public static W.NetworkSettings ToInspect(Container c, ContainerLayout layout)
    {
        var running = c.State.IsRunning;
        var settings = new W.NetworkSettings
        {
            SandboxKey = running && c.Networks.Values.Any(e => e.State is not null) ? layout.Netns(c.Id) : running && c.State.Pid > 0 ? $"/proc/{c.State.Pid}/ns/net" : "",
            Ports = running ? Ports(c) : [],
            Networks = Endpoints(c),
        };
        if (settings.Networks.TryGetValue(NetworkNames.Bridge, out var bridge))
        {
            settings.Bridge = "";
            settings.EndpointID = bridge.EndpointID;
            settings.Gateway = bridge.Gateway;
            settings.IPAddress = bridge.IPAddress;
            settings.IPPrefixLen = bridge.IPPrefixLen;
            settings.MacAddress = bridge.MacAddress;
        }
        settings.SandboxID = settings.SandboxKey is "" ? "" : c.Id;
        return settings;
    }

    public static W.SummaryNetworkSettings ToSummary(Container c) => new() { Networks = Endpoints(c) };

    /// <summary>List's <c>Ports</c>: each published port, and each exposed one without a host side.</summary>
    public static List<W.Port> SummaryPorts(Container c)
    {
        var ports = new List<W.Port>();
        if (!c.State.IsRunning) return ports;
        var published = c.Ports.Select(p => p.ContainerPort).ToHashSet();
        foreach (var p in c.Ports)
        {
            var (number, protocol) = PortSpecs.ParseKey(p.ContainerPort);
            ports.Add(new W.Port { IP = p.HostIp, PrivatePort = (ushort)number, PublicPort = (ushort)p.HostPort, Type = protocol });
        }
        foreach (var key in c.Config.ExposedPorts.Select(PortSpecs.NormalizeKey).Distinct())
        {
            if (published.Contains(key)) continue;
            var (number, protocol) = PortSpecs.ParseKey(key);
            ports.Add(new W.Port { PrivatePort = (ushort)number, Type = protocol });
        }
        return ports;
    }

    /// <summary>Inspect's <c>Ports</c>: every exposed port, with its host sides (null when not published).</summary>
    private static Dictionary<string, List<W.PortBinding>?> Ports(Container c)
    {
        var ports = new Dictionary<string, List<W.PortBinding>?>();
        foreach (var key in c.Config.ExposedPorts) ports[PortSpecs.NormalizeKey(key)] = null;
        foreach (var p in c.Ports)
        {
            if (ports.GetValueOrDefault(p.ContainerPort) is not { } list) ports[p.ContainerPort] = list = [];
            list.Add(new W.PortBinding { HostIp = p.HostIp, HostPort = p.HostPort.ToString() });
        }
        return ports;
    }

    private static Dictionary<string, W.EndpointSettings> Endpoints(Container c)
    {
        var endpoints = new Dictionary<string, W.EndpointSettings>();
        foreach (var (name, e) in c.Networks)
        {
            var userDefined = name is not (NetworkNames.Bridge or NetworkNames.Host or NetworkNames.None);
            var state = e.State;
            endpoints[name] = new W.EndpointSettings
            {
                IPAMConfig = e.RequestedAddress is "" ? null : new W.EndpointIPAMConfig { IPv4Address = e.RequestedAddress },
                Links = e.Links.Count == 0 ? null : [.. e.Links],
                Aliases = Aliases(c, e, userDefined),
                MacAddress = state?.MacAddress ?? "",
                DriverOpts = e.DriverOpts.Count == 0 ? null : new Dictionary<string, string>(e.DriverOpts),
                NetworkID = e.NetworkId,
                EndpointID = state?.EndpointId ?? "",
                Gateway = state?.Gateway ?? "",
                IPAddress = state?.Address ?? "",
                IPPrefixLen = state?.PrefixLength ?? 0,
                DNSNames = userDefined && state is not null ? [.. NetworkService.DnsNamesOf(c, e, embeddedDns: true)] : null,
            };
        }
        return endpoints;
    }

    /// <summary>At API 1.44 a user-defined network's aliases include the short id, as Docker adds it.</summary>
    private static List<string>? Aliases(Container c, ContainerEndpoint e, bool userDefined)
    {
        if (!userDefined) return e.Aliases.Count == 0 ? null : [.. e.Aliases];
        return [.. e.Aliases.Append(c.ShortId).Distinct()];
    }
}
