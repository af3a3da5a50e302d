using System.Net;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Network.Ports;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// Publishes the container's ports on the host, forwarding to its address on its first network: each of
    /// <c>PortBindings</c>, and with <c>-P</c> every exposed port not bound, on a random port. When restoring after a
    /// daemon restart, the ports of the previous daemon are taken again. Forwards are added to <paramref name="services"/>
    /// as they start, so a failure halfway leaves them to the caller's release.
    /// </summary>
    private List<PublishedPort> Publish(
        Container container, IReadOnlyCollection<string> exposedPorts, List<IAsyncDisposable> services, List<PublishedPort>? restoring)
    {
        var primary = InOrder(container).Select(e => e.Endpoint).FirstOrDefault(e => e.State is not null);
        if (primary?.State is not { } state) return [];
        var containerIp = IPAddress.Parse(state.Address);
        var published = new List<PublishedPort>();
        if (restoring is not null)
        {
            foreach (var port in restoring)
            {
                var (number, protocol) = PortSpecs.ParseKey(port.ContainerPort);
                var forward = _host.Forward(new PortMapping(protocol, IPAddress.Parse(port.HostIp), port.HostPort, containerIp, number));
                services.Add(forward);
                published.Add(port);
            }
            return published;
        }
        foreach (var (key, bindings) in Bindings(container, exposedPorts))
        {
            var (number, protocol) = PortSpecs.ParseKey(key);
            foreach (var binding in bindings)
            {
                var hostIp = binding.HostIp is "" ? IPAddress.Any : IPAddress.Parse(binding.HostIp);
                var forward = Forward(container, state, new PortMapping(protocol, hostIp, 0, containerIp, number), binding.HostPort);
                services.Add(forward);
                published.Add(new PublishedPort(key, protocol, hostIp.ToString(), forward.HostPort));
            }
        }
        return published;
    }

    private static IEnumerable<(string Key, IReadOnlyList<PortBinding> Bindings)> Bindings(Container container, IReadOnlyCollection<string> exposedPorts)
    {
        var bound = container.HostConfig.PortBindings;
        foreach (var (key, bindings) in bound.OrderBy(b => b.Key, StringComparer.Ordinal))
            yield return (PortSpecs.NormalizeKey(key), bindings.Count == 0 ? [new PortBinding("", "")] : bindings);
        if (!container.HostConfig.PublishAllPorts) yield break;
        var boundKeys = bound.Keys.Select(PortSpecs.NormalizeKey).ToHashSet();
        foreach (var key in exposedPorts.Select(PortSpecs.NormalizeKey).Distinct().Order(StringComparer.Ordinal))
            if (!boundKeys.Contains(key)) yield return (key, [new PortBinding("", "")]);
    }

    /// <summary>One host port: a fixed one, the first free of a range, or (empty or 0) one of the kernel's ephemeral range.</summary>
    private IPortForward Forward(Container container, EndpointState state, PortMapping mapping, string hostPort)
    {
        var (first, last) = PortSpecs.ParseHostPort(hostPort);
        try
        {
            return _host.Forward(mapping with { HostPort = first, HostPortEnd = last == first ? 0 : last });
        }
        catch (Exception e) when (e is not EngineException)
        {
            throw new EngineException(ErrorKind.System,
                $"driver failed programming external connectivity on endpoint {container.Name.TrimStart('/')} ({state.EndpointId}): {e.Message}", e);
        }
    }
}
