using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    private const string PathStatHeader = "X-Docker-Container-Path-Stat";

    public async Task<IReadOnlyList<FilesystemChange>> ContainerChangesAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, ContainerPath(id, "/changes"), null, cancellationToken, HttpCompletionOption.ResponseContentRead)
            .ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, ApiJsonContext.Default.ListFilesystemChange, cancellationToken).ConfigureAwait(false) ?? [];
    }

    public async Task<Stream> ContainerExportAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Get, ContainerPath(id, "/export"), null, cancellationToken).ConfigureAwait(false);
        return await OwnedBodyAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContainerPathStat> ContainerStatPathAsync(string id, string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, ArchivePath(id, path), null, cancellationToken).ConfigureAwait(false);
        return DecodeStat(response);
    }

    public async Task<(Stream Content, ContainerPathStat Stat)> CopyFromContainerAsync(string id, string path, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Get, ArchivePath(id, path), null, cancellationToken).ConfigureAwait(false);
        ContainerPathStat stat;
        try
        {
            stat = DecodeStat(response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        return (await OwnedBodyAsync(response, cancellationToken).ConfigureAwait(false), stat);
    }

    public async Task CopyToContainerAsync(string id, string path, Stream tar, bool allowOverwriteDirWithFile, bool copyUidGid,
        CancellationToken cancellationToken = default)
    {
        var query = new Query().Add("path", path).Flag("noOverwriteDirNonDir", !allowOverwriteDirWithFile).Flag("copyUIDGID", copyUidGid);
        var content = new StreamContent(tar, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        await SendNoContentAsync(HttpMethod.Put, ContainerPath(id, "/archive") + query, cancellationToken, content).ConfigureAwait(false);
    }

    private static string ArchivePath(string id, string path) => ContainerPath(id, "/archive") + new Query().Add("path", path);

    private static ContainerPathStat DecodeStat(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(PathStatHeader, out var values) || values.FirstOrDefault() is not { } encoded)
            throw new JsonException($"the daemon sent no {PathStatHeader} header");
        return JsonSerializer.Deserialize(Convert.FromBase64String(encoded), ApiJsonContext.Default.ContainerPathStat)
            ?? throw new JsonException($"the daemon sent null in {PathStatHeader}");
    }
}
