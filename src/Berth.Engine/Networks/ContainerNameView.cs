using System.Net;
using Berth.Network.Dns;

namespace Berth.Engine.Networks;

/// <summary>What one container's DNS server answers: the names of the containers on its user-defined networks.</summary>
internal sealed class ContainerNameView(NetworkService service, string containerId) : IDnsNames
{
    public IReadOnlyList<IPAddress>? ResolveA(string name) => service.ResolveName(containerId, name.TrimEnd('.'));

    public string? ResolvePtr(IPAddress address) => service.ReverseName(containerId, address);
}
