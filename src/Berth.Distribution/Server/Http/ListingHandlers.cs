using System.Text.Json;
using Berth.Oci.Image;
using Microsoft.AspNetCore.Http;

namespace Berth.Distribution.Server.Http;

/// <summary>Content discovery: tags list, catalog and referrers, with <c>n</c>/<c>last</c> pagination and <c>Link</c>.</summary>
public sealed class ListingHandlers(Listings listings)
{
    public async Task TagsAsync(RegistryRequest r)
    {
        var page = await listings.TagsAsync(r.Name, r.PageSize(), r.Query("last"), r.Aborted);
        NextLink(r, r.RepositoryPath("tags/list"), page);
        await WriteJsonAsync(r, new TagList(r.Name, page.Items));
    }

    public async Task CatalogAsync(RegistryRequest r)
    {
        var page = await listings.RepositoriesAsync(r.PageSize(), r.Query("last"), r.Aborted);
        NextLink(r, $"{r.V2Root}_catalog", page);
        await WriteJsonAsync(r, new RepositoryList(page.Items));
    }

    public async Task ReferrersAsync(RegistryRequest r)
    {
        var subject = Grammar.RequireDigest(r.Argument);
        var artifactType = r.Query("artifactType");
        if (string.IsNullOrEmpty(artifactType)) artifactType = null;
        var referrers = await listings.ReferrersAsync(r.Name, subject, artifactType, r.Aborted);
        if (artifactType is not null) r.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        var index = new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = referrers };
        r.Response.ContentType = MediaTypes.OciIndex;
        await JsonSerializer.SerializeAsync(r.Response.Body, index, DistributionJsonContext.Relaxed.ImageIndex, r.Aborted);
    }

    private static void NextLink(RegistryRequest r, string path, Page page)
    {
        if (!page.HasMore || page.Items.Count == 0) return;
        var next = QueryString.Create(new Dictionary<string, string?>
        {
            ["n"] = page.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["last"] = page.Items[^1],
        });
        r.Response.Headers.Link = $"<{path}{next}>; rel=\"next\"";
    }

    private static Task WriteJsonAsync<T>(RegistryRequest r, T value)
    {
        r.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(r.Response.Body, value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)DistributionJsonContext.Relaxed.GetTypeInfo(typeof(T))!, r.Aborted);
    }
}
