using System.Net;
using System.Text.Json;

namespace Berth.Distribution.Tests.Http;

public sealed class DiscoveryTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private HttpClient Client => _registry.Client;

    private static async Task<string[]> ListAsync(HttpResponseMessage response, string property)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    [Fact]
    public async Task TagsAreListedSortedAndPaginatedWithLink()
    {
        foreach (var tag in new[] { "c", "a", "b", "d" }) await _registry.PushImageAsync("paged", tag);

        using var all = await Client.GetAsync("/v2/paged/tags/list");
        Assert.Equal(["a", "b", "c", "d"], await ListAsync(all, "tags"));
        Assert.False(all.Headers.Contains("Link"));

        using var first = await Client.GetAsync("/v2/paged/tags/list?n=2");
        Assert.Equal(["a", "b"], await ListAsync(first, "tags"));
        Assert.Equal("</v2/paged/tags/list?n=2&last=b>; rel=\"next\"", first.Headers.GetValues("Link").Single());

        using var second = await Client.GetAsync("/v2/paged/tags/list?n=2&last=b");
        Assert.Equal(["c", "d"], await ListAsync(second, "tags"));
        Assert.False(second.Headers.Contains("Link"));

        using var none = await Client.GetAsync("/v2/paged/tags/list?n=0");
        Assert.Empty(await ListAsync(none, "tags"));
    }

    [Fact]
    public async Task TagsOfAnUnknownRepositoryAreNameUnknown()
    {
        using var response = await Client.GetAsync("/v2/nobody/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task CatalogListsRepositoriesWithManifestsPaginated()
    {
        await _registry.PushImageAsync("zeta", "v1");
        await _registry.PushImageAsync("alpha/nested/deep", "v1");
        await _registry.PushImageAsync("alpha", "v1");
        await _registry.PushBlobAsync("blobs-only", [1]);

        using var all = await Client.GetAsync("/v2/_catalog");
        Assert.Equal(["alpha", "alpha/nested/deep", "zeta"], await ListAsync(all, "repositories"));

        using var page = await Client.GetAsync("/v2/_catalog?n=1&last=alpha");
        Assert.Equal(["alpha/nested/deep"], await ListAsync(page, "repositories"));
        Assert.Equal("</v2/_catalog?n=1&last=alpha%2Fnested%2Fdeep>; rel=\"next\"", page.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task ReferrersListArtifactsWhoseSubjectIsTheManifest()
    {
        var (subject, subjectDigest) = await _registry.PushImageAsync("signed", "v1");
        var empty = "{}"u8.ToArray();
        await _registry.PushBlobAsync("signed", empty);
        var signatureLayer = "signature"u8.ToArray();
        var sbomLayer = "sbom"u8.ToArray();
        await _registry.PushBlobAsync("signed", signatureLayer);
        await _registry.PushBlobAsync("signed", sbomLayer);

        var signature = Manifests.Artifact("application/vnd.example.signature", subjectDigest, subject.Length, empty, signatureLayer);
        using (var put = await _registry.PutManifestRawAsync("signed", TestRegistry.Sha256(signature), signature, Manifests.Oci))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(subjectDigest, put.Headers.GetValues("OCI-Subject").Single());
        }
        var sbom = Manifests.Artifact("application/vnd.example.sbom", subjectDigest, subject.Length, empty, sbomLayer);
        await _registry.PutManifestAsync("signed", TestRegistry.Sha256(sbom), sbom, Manifests.Oci);

        using var all = await Client.GetAsync($"/v2/signed/referrers/{subjectDigest}");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(Manifests.OciIndex, all.Content.Headers.ContentType!.MediaType);
        using (var json = JsonDocument.Parse(await all.Content.ReadAsStringAsync()))
        {
            var manifests = json.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            Assert.Equal(2, manifests.Count);
            var found = manifests.Single(m => m.GetProperty("digest").GetString() == TestRegistry.Sha256(signature));
            Assert.Equal("application/vnd.example.signature", found.GetProperty("artifactType").GetString());
            Assert.Equal(signature.Length, found.GetProperty("size").GetInt64());
            Assert.Equal("application/vnd.example.signature", found.GetProperty("annotations").GetProperty("org.example.kind").GetString());
        }
        Assert.False(all.Headers.Contains("OCI-Filters-Applied"));

        using var filtered = await Client.GetAsync($"/v2/signed/referrers/{subjectDigest}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        using (var json = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync()))
        {
            var only = Assert.Single(json.RootElement.GetProperty("manifests").EnumerateArray());
            Assert.Equal(TestRegistry.Sha256(sbom), only.GetProperty("digest").GetString());
        }

        using (await Client.DeleteAsync($"/v2/signed/manifests/{TestRegistry.Sha256(sbom)}")) { }
        using var afterDelete = await Client.GetAsync($"/v2/signed/referrers/{subjectDigest}");
        using (var json = JsonDocument.Parse(await afterDelete.Content.ReadAsStringAsync()))
            Assert.Single(json.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Fact]
    public async Task ReferrersOfAnUnknownSubjectIsAnEmptyIndex()
    {
        using var response = await Client.GetAsync($"/v2/anything/referrers/{TestRegistry.Sha256([1])}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(json.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Fact]
    public async Task ReferrersWithAMalformedDigestIs400()
    {
        using var response = await Client.GetAsync("/v2/anything/referrers/sha256:zz");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ArtifactPushedBeforeItsSubjectIsAccepted()
    {
        var empty = "{}"u8.ToArray();
        var layer = "early"u8.ToArray();
        await _registry.PushBlobAsync("early", empty);
        await _registry.PushBlobAsync("early", layer);
        var future = TestRegistry.Sha256("not yet pushed"u8.ToArray());
        var artifact = Manifests.Artifact("application/vnd.example.x", future, 14, empty, layer);
        await _registry.PutManifestAsync("early", TestRegistry.Sha256(artifact), artifact, Manifests.Oci);
        using var response = await Client.GetAsync($"/v2/early/referrers/{future}");
        Assert.Contains(TestRegistry.Sha256(artifact), await response.Content.ReadAsStringAsync());
    }
}
