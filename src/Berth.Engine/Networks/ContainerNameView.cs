using System.Net;

namespace Berth.Engine.Networks;

/// <summary>What one container's DNS server answers: the names of the containers on its user-defined networks.</summary>
internal sealed class ContainerNameView(NetworkService service, string containerId) : IContainerNames
{
    public IReadOnlyList<IPAddress>? Resolve(string name) => service.ResolveName(containerId, name.TrimEnd('.'));

    public string? ReverseLookup(IPAddress address) => service.ReverseName(containerId, address);
}
