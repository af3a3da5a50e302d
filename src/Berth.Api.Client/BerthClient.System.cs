using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Events;
using Berth.Api.Models.System;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    public async Task<PingResponse> PingAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/_ping", null, cancellationToken, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        return new PingResponse(
            Header("Api-Version") ?? "1.24",
            Header("Ostype") ?? "",
            string.Equals(Header("Docker-Experimental"), "true", StringComparison.OrdinalIgnoreCase),
            Header("Builder-Version"));
    }

    public Task<SystemVersion> VersionAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, "/version", ApiJsonContext.Default.SystemVersion, cancellationToken);

    public Task<SystemInfo> InfoAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, "/info", ApiJsonContext.Default.SystemInfo, cancellationToken);

    public Task<SystemDfResponse> DiskUsageAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, "/system/df", ApiJsonContext.Default.SystemDfResponse, cancellationToken);

    public async Task<AuthResponse> SystemAuthAsync(AuthConfig config, CancellationToken cancellationToken = default)
    {
        var body = new ByteArrayContent(RegistryAuth.ToJson(config));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await GetJsonAsync(HttpMethod.Post, "/auth", ApiJsonContext.Default.AuthResponse, cancellationToken, body).ConfigureAwait(false);
    }

    public IAsyncEnumerable<EventMessage> EventsAsync(EventsOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query().Add("since", options.Since).Add("until", options.Until).Filters(options.Filters);
        return StreamJsonAsync(HttpMethod.Get, "/events" + query, ApiJsonContext.Default.EventMessage, null, cancellationToken);
    }

    public Task<JsonElement> NetworkPruneAsync(Filters? filters = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, "/networks/prune" + new Query().Filters(filters), RawJson, cancellationToken);

    public Task<JsonElement> VolumePruneAsync(Filters? filters = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, "/volumes/prune" + new Query().Filters(filters), RawJson, cancellationToken);

    public Task<JsonElement> BuildCachePruneAsync(bool all, Filters? filters = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, "/build/prune" + new Query().Add("all", all ? "1" : null).Filters(filters), RawJson, cancellationToken);
}
