using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Volumes;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    private static string VolumePath(string name) => "/volumes/" + Escape(name);

    public Task<Volume> VolumeCreateAsync(VolumeCreateRequest request, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, "/volumes/create", ApiJsonContext.Default.Volume, cancellationToken,
            Json(request, ApiJsonContext.Default.VolumeCreateRequest));

    public Task<VolumeListResponse> VolumeListAsync(Filters? filters = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, "/volumes" + new Query().Filters(filters), ApiJsonContext.Default.VolumeListResponse, cancellationToken);

    public Task<JsonElement> VolumeInspectRawAsync(string name, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, VolumePath(name), RawJson, cancellationToken);

    public Task VolumeRemoveAsync(string name, bool force = false, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, VolumePath(name) + new Query().Flag("force", force), cancellationToken);
}
