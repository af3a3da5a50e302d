using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    private static string ContainerPath(string id, string suffix = "") => "/containers/" + Escape(id) + suffix;

    public Task<ContainerCreateResponse> ContainerCreateAsync(ContainerCreateRequest request, string? name, string? platform = null,
        CancellationToken cancellationToken = default)
    {
        var query = new Query().Add("name", string.IsNullOrEmpty(name) ? null : name).Add("platform", platform);
        return GetJsonAsync(HttpMethod.Post, "/containers/create" + query, ApiJsonContext.Default.ContainerCreateResponse,
            cancellationToken, Json(request, ApiJsonContext.Default.ContainerCreateRequest));
    }

    public Task ContainerStartAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/start"), cancellationToken);

    public Task ContainerStopAsync(string id, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/stop") + StopQuery(timeoutSeconds, signal), cancellationToken);

    public Task ContainerRestartAsync(string id, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/restart") + StopQuery(timeoutSeconds, signal), cancellationToken);

    private static Query StopQuery(int? timeoutSeconds, string? signal) =>
        new Query().Add("signal", signal).Add("t", timeoutSeconds?.ToString(CultureInfo.InvariantCulture));

    public Task ContainerKillAsync(string id, string? signal = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/kill") + new Query().Add("signal", signal), cancellationToken);

    public Task ContainerPauseAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/pause"), cancellationToken);

    public Task ContainerUnpauseAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/unpause"), cancellationToken);

    public Task ContainerRemoveAsync(string id, bool force = false, bool removeVolumes = false, bool removeLinks = false,
        CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete,
            ContainerPath(id) + new Query().Flag("v", removeVolumes).Flag("link", removeLinks).Flag("force", force), cancellationToken);

    public Task<ContainerUpdateResponse> ContainerUpdateAsync(string id, HostConfig update, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, ContainerPath(id, "/update"), ApiJsonContext.Default.ContainerUpdateResponse, cancellationToken,
            Json(update, ApiJsonContext.Default.HostConfig));

    public Task ContainerRenameAsync(string id, string newName, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/rename") + new Query().Add("name", newName), cancellationToken);

    public async Task<Task<ContainerWaitResponse>> ContainerWaitAsync(string id, string condition = "not-running",
        CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Post, ContainerPath(id, "/wait") + new Query().Add("condition", condition),
            null, cancellationToken).ConfigureAwait(false);
        return ReadWaitBodyAsync(response, cancellationToken);
    }

    private static async Task<ContainerWaitResponse> ReadWaitBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, ApiJsonContext.Default.ContainerWaitResponse, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("the daemon sent null for the wait result");
        }
    }

    public async Task<IReadOnlyList<ContainerSummary>> ContainerListAsync(ContainerListOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query().Flag("all", options.All)
            .Add("limit", options.Limit > 0 ? options.Limit.ToString(CultureInfo.InvariantCulture) : null)
            .Flag("size", options.Size)
            .Filters(options.Filters);
        return await GetJsonAsync(HttpMethod.Get, "/containers/json" + query, ApiJsonContext.Default.ListContainerSummary, cancellationToken).ConfigureAwait(false);
    }

    public Task<ContainerInspectResponse> ContainerInspectAsync(string id, bool size = false, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, ContainerPath(id, "/json") + new Query().Flag("size", size),
            ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);

    public Task<JsonElement> ContainerInspectRawAsync(string id, bool size = false, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, ContainerPath(id, "/json") + new Query().Flag("size", size), RawJson, cancellationToken);

    public async Task<Stream> ContainerLogsAsync(string id, LogsOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query()
            .Flag("stdout", options.Stdout).Flag("stderr", options.Stderr)
            .Add("since", options.Since).Add("until", options.Until)
            .Flag("timestamps", options.Timestamps).Flag("follow", options.Follow)
            .Add("tail", options.Tail).Flag("details", options.Details);
        var response = await SendAsync(HttpMethod.Get, ContainerPath(id, "/logs") + query, null, cancellationToken).ConfigureAwait(false);
        return await OwnedBodyAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public Task<HijackedStream> ContainerAttachAsync(string id, AttachOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query().Flag("stream", options.Stream).Flag("stdin", options.Stdin)
            .Flag("stdout", options.Stdout).Flag("stderr", options.Stderr).Flag("logs", options.Logs)
            .Add("detachKeys", options.DetachKeys);
        return Hijack.PostAsync(Endpoint, Versioned(ContainerPath(id, "/attach") + query), null, cancellationToken);
    }

    public Task ContainerResizeAsync(string id, int height, int width, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ContainerPath(id, "/resize") + SizeQuery(height, width), cancellationToken);

    private static Query SizeQuery(int height, int width) =>
        new Query().Add("h", height.ToString(CultureInfo.InvariantCulture)).Add("w", width.ToString(CultureInfo.InvariantCulture));

    public Task<ContainerTopResponse> ContainerTopAsync(string id, string? psArgs = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, ContainerPath(id, "/top") + new Query().Add("ps_args", psArgs),
            ApiJsonContext.Default.ContainerTopResponse, cancellationToken);

    public async IAsyncEnumerable<ContainerStatsResponse> ContainerStatsAsync(string id, bool stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = ContainerPath(id, "/stats") + new Query().Add("stream", stream ? "1" : "0");
        await foreach (var sample in StreamJsonAsync(HttpMethod.Get, path, ApiJsonContext.Default.ContainerStatsResponse, null, cancellationToken).ConfigureAwait(false))
        {
            yield return sample;
            if (!stream)
                yield break;
        }
    }

    public Task<ContainerPruneResponse> ContainerPruneAsync(Filters? filters = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, "/containers/prune" + new Query().Filters(filters), ApiJsonContext.Default.ContainerPruneResponse, cancellationToken);
}
