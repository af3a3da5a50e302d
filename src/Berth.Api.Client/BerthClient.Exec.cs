using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Exec;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    public Task<ExecCreateResponse> ExecCreateAsync(string containerId, ExecCreateRequest request, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, ContainerPath(containerId, "/exec"), ApiJsonContext.Default.ExecCreateResponse,
            cancellationToken, Json(request, ApiJsonContext.Default.ExecCreateRequest));

    public Task ExecStartDetachedAsync(string execId, ExecStartRequest request, CancellationToken cancellationToken = default)
    {
        request.Detach = true;
        return SendNoContentAsync(HttpMethod.Post, "/exec/" + Escape(execId) + "/start", cancellationToken,
            Json(request, ApiJsonContext.Default.ExecStartRequest));
    }

    public Task<HijackedStream> ExecAttachAsync(string execId, ExecStartRequest request, CancellationToken cancellationToken = default)
    {
        request.Detach = false;
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.ExecStartRequest);
        return Hijack.PostAsync(Endpoint, Versioned("/exec/" + Escape(execId) + "/start"), body, cancellationToken);
    }

    public Task ExecResizeAsync(string execId, int height, int width, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, "/exec/" + Escape(execId) + "/resize" + SizeQuery(height, width), cancellationToken);

    public Task<ExecInspectResponse> ExecInspectAsync(string execId, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, "/exec/" + Escape(execId) + "/json", ApiJsonContext.Default.ExecInspectResponse, cancellationToken);
}
