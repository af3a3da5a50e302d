using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Images;
using Berth.Api.Models.Streams;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    /// <summary>Image references keep <c>/</c>, <c>:</c> and <c>@</c> in the path, as Go's client does.</summary>
    private static string ImagePath(string name, string suffix = "") =>
        "/images/" + Escape(name).Replace("%2F", "/", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal)
            .Replace("%40", "@", StringComparison.Ordinal) + suffix;

    public async Task<IReadOnlyList<ImageSummary>> ImageListAsync(ImageListOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query().Flag("all", options.All).Flag("shared-size", options.SharedSize).Filters(options.Filters);
        return await GetJsonAsync(HttpMethod.Get, "/images/json" + query, ApiJsonContext.Default.ListImageSummary, cancellationToken).ConfigureAwait(false);
    }

    public Task<ImageInspectResponse> ImageInspectAsync(string name, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, ImagePath(name, "/json"), ApiJsonContext.Default.ImageInspectResponse, cancellationToken);

    public Task<JsonElement> ImageInspectRawAsync(string name, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Get, ImagePath(name, "/json"), RawJson, cancellationToken);

    public Task ImageTagAsync(string source, string repository, string? tag, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, ImagePath(source, "/tag") + new Query().Add("repo", repository).Add("tag", tag), cancellationToken);

    public async Task<string> ContainerCommitAsync(string container, ContainerCommitOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query().Add("container", container).Add("repo", options.Repository).Add("tag", options.Tag)
            .Add("comment", options.Comment).Add("author", options.Author).Add("pause", options.Pause ? "1" : "0");
        foreach (var change in options.Changes) query.Add("changes", change);
        var response = await GetJsonAsync(HttpMethod.Post, "/commit" + query, ApiJsonContext.Default.IdResponse, cancellationToken).ConfigureAwait(false);
        return response.Id;
    }

    public async Task<IReadOnlyList<ImageDeleteResponseItem>> ImageRemoveAsync(string name, bool force = false, bool noPrune = false,
        CancellationToken cancellationToken = default) =>
        await GetJsonAsync(HttpMethod.Delete, ImagePath(name) + new Query().Flag("force", force).Flag("noprune", noPrune),
            ApiJsonContext.Default.ListImageDeleteResponseItem, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ImageHistoryResponseItem>> ImageHistoryAsync(string name, CancellationToken cancellationToken = default) =>
        await GetJsonAsync(HttpMethod.Get, ImagePath(name, "/history"), ApiJsonContext.Default.ListImageHistoryResponseItem, cancellationToken).ConfigureAwait(false);

    public Task<ImagePruneResponse> ImagePruneAsync(Filters? filters = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(HttpMethod.Post, "/images/prune" + new Query().Filters(filters), ApiJsonContext.Default.ImagePruneResponse, cancellationToken);

    public IAsyncEnumerable<JsonMessage> ImagePullAsync(ImagePullOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query().Add("fromImage", options.FromImage).Add("tag", options.Tag).Add("platform", options.Platform);
        return StreamJsonAsync(HttpMethod.Post, "/images/create" + query, ApiJsonContext.Default.JsonMessage, null, cancellationToken,
            request => request.Headers.TryAddWithoutValidation("X-Registry-Auth", options.RegistryAuth ?? RegistryAuth.Anonymous));
    }

    public IAsyncEnumerable<JsonMessage> ImagePushAsync(ImagePushOptions options, CancellationToken cancellationToken = default) =>
        StreamJsonAsync(HttpMethod.Post, ImagePath(options.Name, "/push") + new Query().Add("tag", options.Tag), ApiJsonContext.Default.JsonMessage,
            null, cancellationToken,
            request => request.Headers.TryAddWithoutValidation("X-Registry-Auth", options.RegistryAuth ?? RegistryAuth.Anonymous));

    public IAsyncEnumerable<JsonMessage> ImageImportAsync(Stream tar, ImageImportOptions options, CancellationToken cancellationToken = default)
    {
        var query = new Query().Add("fromSrc", options.Source).Add("repo", options.Repository).Add("tag", options.Tag)
            .Add("message", options.Message).Add("platform", options.Platform);
        foreach (var change in options.Changes)
            query.Add("changes", change);
        return StreamJsonAsync(HttpMethod.Post, "/images/create" + query, ApiJsonContext.Default.JsonMessage, TarContent(tar), cancellationToken);
    }

    public async IAsyncEnumerable<JsonMessage> ImageLoadAsync(Stream tar, bool quiet,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "/images/load" + new Query().Flag("quiet", quiet), TarContent(tar), cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            await foreach (var message in JsonLines.ReadAsync(body, ApiJsonContext.Default.JsonMessage, cancellationToken).ConfigureAwait(false))
                yield return message;
            yield break;
        }
        using var reader = new StreamReader(body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (text.Length > 0)
            yield return new JsonMessage { Stream = text };
    }

    public async Task<Stream> ImageSaveAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var query = new Query();
        foreach (var name in names)
            query.Add("names", name);
        var response = await SendAsync(HttpMethod.Get, "/images/get" + query, null, cancellationToken).ConfigureAwait(false);
        return await OwnedBodyAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static StreamContent TarContent(Stream tar)
    {
        var content = new StreamContent(tar, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return content;
    }

    public async Task<JsonElement> ImageSearchAsync(string term, int limit, Filters? filters, string? registryAuth, CancellationToken cancellationToken = default)
    {
        var query = new Query().Add("term", term).Add("limit", limit > 0 ? limit.ToString(CultureInfo.InvariantCulture) : null).Filters(filters);
        using var response = await SendAsync(HttpMethod.Get, "/images/search" + query, null, cancellationToken, HttpCompletionOption.ResponseContentRead,
            request => request.Headers.TryAddWithoutValidation("X-Registry-Auth", registryAuth ?? RegistryAuth.Anonymous)).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, RawJson, cancellationToken).ConfigureAwait(false);
    }
}
