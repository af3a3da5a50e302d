using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Networks;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    private static string NetworkPath(string id, string suffix = "") => "/networks/" + Escape(id) + suffix;

    public async Task<IReadOnlyList<NetworkResource>> NetworkListAsync(Filters? filters = null, CancellationToken cancellationToken = default) =>
        await GetJsonAsync(HttpMethod.Get, "/networks" + new Query().Filters(filters), ApiJsonContext.Default.ListNetworkResource, cancellationToken)
            .ConfigureAwait(false);

    public Task<NetworkResource> NetworkInspectAsync(string id, bool verbose = false, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, NetworkPath(id) + InspectQuery(verbose), ApiJsonContext.Default.NetworkResource, cancellationToken);

    public Task<JsonElement> NetworkInspectRawAsync(string id, bool verbose = false, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, NetworkPath(id) + InspectQuery(verbose), RawJson, cancellationToken);

    /// <summary>Go's client sends <c>verbose=true</c>, not the <c>1</c> of its other flags.</summary>
    private static Query InspectQuery(bool verbose) => new Query().Add("verbose", verbose ? "true" : null);

    public Task<NetworkCreateResponse> NetworkCreateAsync(NetworkCreateRequest request, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, "/networks/create", ApiJsonContext.Default.NetworkCreateResponse, cancellationToken,
            Json(request, ApiJsonContext.Default.NetworkCreateRequest));

    public Task NetworkRemoveAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, NetworkPath(id), cancellationToken);

    public Task NetworkConnectAsync(string id, NetworkConnectRequest request, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, NetworkPath(id, "/connect"), cancellationToken, Json(request, ApiJsonContext.Default.NetworkConnectRequest));

    public Task NetworkDisconnectAsync(string id, NetworkDisconnectRequest request, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, NetworkPath(id, "/disconnect"), cancellationToken, Json(request, ApiJsonContext.Default.NetworkDisconnectRequest));
}
