using System.Net;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Networks;
using Berth.Engine.Store;
using Berth.Network.Ipam;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Engine.Tests.Fakes;

/// <summary>The engine's services over the in-memory fakes, on a data root of the test's own.</summary>
public static class Services
{
    public static NetworkService Network(string root, INetworkHost host, EventService? events = null)
    {
        var networks = new NetworkService(new EngineDatabase(Path.Combine(root, "berth.db")), host, events ?? new EventService(),
            new NetworkOptions
            {
                Bip = "10.213.0.1/24",
                AddressPools = [new AddressPool(new IPNetwork(IPAddress.Parse("10.214.0.0"), 16), 24)],
            },
            NullLogger<NetworkService>.Instance);
        networks.Initialize();
        return networks;
    }

    public static ContainerService Container(string root, FakeContainerImages images, InMemoryTaskRuntime tasks, INetworkHost host) =>
        Container(root, images, tasks, Network(root, host));

    public static ContainerService Container(string root, FakeContainerImages images, InMemoryTaskRuntime tasks, NetworkService networks) =>
        new(new EngineDatabase(Path.Combine(root, "berth.db")), images, tasks, networks, new EventService(),
            new EngineOptions { DataRoot = root, InitPath = "/nonexistent" }, NullLogger<ContainerService>.Instance);
}
