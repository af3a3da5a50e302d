using System.Net;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Api.Models.Networks;

namespace Berth.Cli.Tests.Fakes;

/// <summary>The network calls of the fake daemon: <see cref="Networks"/> by name or id prefix, Docker's 404 text for others.</summary>
internal sealed partial class FakeBerthClient
{
    public List<NetworkResource> Networks { get; } = [];
    public List<NetworkCreateRequest> NetworkCreates { get; } = [];
    public List<(string Network, NetworkConnectRequest Request)> NetworkConnects { get; } = [];

    /// <summary>What removing a network throws, by name (others that exist succeed).</summary>
    public Dictionary<string, Exception> NetworkRemoveErrors { get; } = [];

    public Exception? NetworkCreateError { get; set; }

    private static ApiException NoSuchNetwork(string id) => new(HttpStatusCode.NotFound, $"network {id} not found");

    private NetworkResource? FindNetwork(string id) =>
        Networks.FirstOrDefault(n => n.Name == id || n.Id == id) ?? Networks.FirstOrDefault(n => id.Length > 0 && n.Id.StartsWith(id, StringComparison.Ordinal));

    public async Task<IReadOnlyList<NetworkResource>> NetworkListAsync(Filters? filters = null, CancellationToken cancellationToken = default)
    {
        await Record($"NetworkList filters={filters?.ToJson()}");
        return Networks;
    }

    public async Task<NetworkResource> NetworkInspectAsync(string id, bool verbose = false, CancellationToken cancellationToken = default)
    {
        await Record($"NetworkInspect {id} verbose={verbose}");
        return FindNetwork(id) ?? throw NoSuchNetwork(id);
    }

    public async Task<JsonElement> NetworkInspectRawAsync(string id, bool verbose = false, CancellationToken cancellationToken = default)
    {
        await Record($"NetworkInspectRaw {id} verbose={verbose}");
        return JsonSerializer.SerializeToElement(FindNetwork(id) ?? throw NoSuchNetwork(id), ApiJsonContext.Default.NetworkResource);
    }

    public async Task<NetworkCreateResponse> NetworkCreateAsync(NetworkCreateRequest request, CancellationToken cancellationToken = default)
    {
        await Record($"NetworkCreate {request.Name}");
        NetworkCreates.Add(request);
        if (NetworkCreateError is not null)
            throw NetworkCreateError;
        return new NetworkCreateResponse { Id = new string('c', 64) };
    }

    public async Task NetworkRemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await Record($"NetworkRemove {id}");
        if (NetworkRemoveErrors.TryGetValue(id, out var error))
            throw error;
        var found = FindNetwork(id) ?? throw NoSuchNetwork(id);
        Networks.Remove(found);
    }

    public async Task NetworkConnectAsync(string id, NetworkConnectRequest request, CancellationToken cancellationToken = default)
    {
        await Record($"NetworkConnect {id} {request.Container}");
        _ = FindNetwork(id) ?? throw NoSuchNetwork(id);
        NetworkConnects.Add((id, request));
    }

    public async Task NetworkDisconnectAsync(string id, NetworkDisconnectRequest request, CancellationToken cancellationToken = default)
    {
        await Record($"NetworkDisconnect {id} {request.Container} force={request.Force}");
        _ = FindNetwork(id) ?? throw NoSuchNetwork(id);
    }
}
