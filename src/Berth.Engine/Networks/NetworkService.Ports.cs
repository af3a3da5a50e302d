using System.Net;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// Publishes the container's ports on the host, forwarding to its address on its first network: each of
    /// <c>PortBindings</c>, and with <c>-P</c> every exposed port not bound, on a random port. When restoring after a
    /// daemon restart, the ports of the previous daemon are taken again. Forwards are added to <paramref name="services"/>
    /// as they start, so a failure halfway leaves them to the caller's release.
    /// </summary>
    private async Task<List<PublishedPort>> PublishAsync(
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
                var forward = _host.Forward(new PortForwardSpec(protocol, IPAddress.Parse(port.HostIp), port.HostPort, containerIp, number));
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
                var forward = await ForwardAsync(container, state, protocol, hostIp, binding.HostPort, containerIp, number);
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

    /// <summary>One host port: a fixed one, the first free of a range, or (empty or 0) one the kernel's range gives.</summary>
    private Task<IPortForward> ForwardAsync(
        Container container, EndpointState state, string protocol, IPAddress hostIp, string hostPort, IPAddress containerIp, int containerPort)
    {
        var (first, last) = PortSpecs.ParseHostPort(hostPort);
        Exception? failure = null;
        for (var port = first; port <= last; port++)
        {
            try
            {
                return Task.FromResult(_host.Forward(new PortForwardSpec(protocol, hostIp, port, containerIp, containerPort)));
            }
            catch (Exception e) when (e is not EngineException)
            {
                failure = e;
            }
        }
        throw new EngineException(ErrorKind.System,
            $"driver failed programming external connectivity on endpoint {container.Name.TrimStart('/')} ({state.EndpointId}): {failure!.Message}",
            failure);
    }
}
