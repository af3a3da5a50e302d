using Berth.Api.Models.Networks;
using Berth.Engine.Networks;

namespace Berth.Api.Server.Compat;

/// <summary>The engine's networks as Docker's <c>network.Inspect</c>, and create's body as the engine reads it.</summary>
public static class NetworkMapper
{
    public static NetworkResource ToWire(NetworkRecord n, IReadOnlyList<NetworkMember>? members) => new()
    {
        Name = n.Name,
        Id = n.Id,
        Created = ContainerMapper.Time(n.Created),
        Driver = n.Driver,
        EnableIPv4 = true,
        EnableIPv6 = n.EnableIPv6,
        IPAM = new NetworkIpam
        {
            Options = n.IpamOptions.Count == 0 ? null : new Dictionary<string, string>(n.IpamOptions),
            Config = n.Subnet is "" ? [] :
            [
                new IpamPool
                {
                    Subnet = n.Subnet,
                    IPRange = n.IPRange is "" ? null : n.IPRange,
                    Gateway = n.Gateway,
                    AuxiliaryAddresses = n.AuxAddresses.Count == 0 ? null : new Dictionary<string, string>(n.AuxAddresses),
                },
            ],
        },
        Internal = n.Internal,
        Attachable = n.Attachable,
        Ingress = n.Ingress,
        Containers = (members ?? []).ToDictionary(m => m.ContainerId, m => new NetworkContainer
        {
            Name = m.ContainerName,
            EndpointID = m.Endpoint.EndpointId,
            MacAddress = m.Endpoint.MacAddress,
            IPv4Address = $"{m.Endpoint.Address}/{m.Endpoint.PrefixLength}",
        }),
        // Go marshals maps with their keys sorted; templates like {{json .Labels}} show that order.
        Options = Sorted(n.Options),
        Labels = Sorted(n.Labels),
    };

    private static Dictionary<string, string> Sorted(IReadOnlyDictionary<string, string> map) =>
        map.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);

    public static NetworkCreate ToEngine(NetworkCreateRequest r) => new()
    {
        Name = r.Name,
        Driver = r.Driver ?? "",
        Internal = r.Internal,
        Attachable = r.Attachable,
        Ingress = r.Ingress,
        EnableIPv4 = r.EnableIPv4 ?? true,
        EnableIPv6 = r.EnableIPv6 ?? false,
        IpamDriver = r.IPAM?.Driver ?? "",
        Pools = [.. (r.IPAM?.Config ?? []).Select(p => new IpamRequest(p.Subnet ?? "", p.IPRange ?? "", p.Gateway ?? "", p.AuxiliaryAddresses ?? []))],
        IpamOptions = r.IPAM?.Options ?? [],
        Options = r.Options ?? [],
        Labels = r.Labels ?? [],
    };
}
