using System.Net;
using Berth.Engine.Containers.Oci;
using Berth.Engine.Networks;
using Berth.Oci.Image;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary><c>network connect</c>: on a running container the endpoint is wired at once.</summary>
    public async Task ConnectNetworkAsync(string idOrName, string network, EndpointRequest request, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        await container.Gate.WaitAsync(cancellationToken);
        try
        {
            var running = container.State.Status is ContainerStatus.Running or ContainerStatus.Paused;
            _networks.Connect(container, network, request, running && NetworkMode.Parse(container.HostConfig.NetworkMode).IsPrivate ? Layout.Netns(container.Id) : null);
            Save(container);
        }
        finally
        {
            container.Gate.Release();
        }
    }

    /// <summary><c>network disconnect</c>: the endpoint released (a running container loses the interface at once).</summary>
    public async Task DisconnectNetworkAsync(string idOrName, string network, bool force, CancellationToken cancellationToken = default)
    {
        Container container;
        try
        {
            container = Get(idOrName);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotFound && force)
        {
            return; // Docker's force: a container gone is no longer connected
        }
        await container.Gate.WaitAsync(cancellationToken);
        try
        {
            _networks.Disconnect(container, network);
            Save(container);
        }
        finally
        {
            container.Gate.Release();
        }
    }

    /// <summary>The ports <c>-P</c> publishes: the container's exposed ports and its image's.</summary>
    private static List<string> ExposedPorts(Container container, ImageRuntimeConfig? image) =>
        [.. container.Config.ExposedPorts.Concat(image?.ExposedPorts?.Keys ?? Enumerable.Empty<string>())];

    private ContainerBundles.NetworkFacts NetworkFacts(Container container)
    {
        List<IPAddress> addresses = [];
        var internalResolver = false;
        lock (container.Lock)
        {
            foreach (var (name, endpoint) in container.Networks)
            {
                if (endpoint.State is { } state) addresses.Add(IPAddress.Parse(state.Address));
                if (name is not (NetworkNames.Bridge or NetworkNames.Host or NetworkNames.None) && endpoint.State is not null) internalResolver = true;
            }
        }
        return new ContainerBundles.NetworkFacts(addresses, HostGateway(), internalResolver);
    }

    /// <summary><c>host-gateway</c> in <c>--add-host</c>: the default bridge's gateway, as in Docker.</summary>
    private List<IPAddress> HostGateway()
    {
        var bridge = _networks.Snapshot().FirstOrDefault(n => n.Name == NetworkNames.Bridge);
        return bridge is { Gateway.Length: > 0 } ? [IPAddress.Parse(bridge.Gateway)] : [];
    }
}
