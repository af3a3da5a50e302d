using System.Text;
using Berth.Distribution.Server;
using Berth.Distribution.Storage;
using Berth.Oci.Image;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Distribution.Tests.Unit;

public sealed class GarbageCollectorTests
{
    private readonly InMemoryDriver _driver = new();
    private readonly BlobStore _blobs;
    private readonly UploadStore _uploads;
    private readonly ManifestStore _manifests;
    private readonly GarbageCollector _collector;

    public GarbageCollectorTests()
    {
        _blobs = new BlobStore(_driver);
        _uploads = new UploadStore(_driver, _blobs);
        _manifests = new ManifestStore(_driver, _blobs);
        _collector = new GarbageCollector(_driver, new Listings(_driver, _manifests), NullLogger<GarbageCollector>.Instance);
    }

    private async Task<Digest> PushBlobAsync(string name, byte[] content)
    {
        var uuid = await _uploads.StartAsync(name);
        var digest = Digest.Sha256(content);
        await _uploads.FinishAsync(name, uuid, digest, new UploadChunk(new MemoryStream(content), null, content.Length));
        return digest;
    }

    private async Task<Digest> PushImageAsync(string name, string tag, string layerText)
    {
        var config = "{}"u8.ToArray();
        var layer = Encoding.UTF8.GetBytes(layerText);
        await PushBlobAsync(name, config);
        await PushBlobAsync(name, layer);
        var pushed = await _manifests.PutAsync(name, tag, Manifests.Oci, Manifests.Image(Manifests.Oci, config, layer), []);
        return pushed.Digest;
    }

    [Fact]
    public async Task SweepsOnlyBlobsNoManifestReferences()
    {
        var kept = await PushImageAsync("app", "v1", "kept layer");
        var orphan = await PushBlobAsync("app", "orphan"u8.ToArray());

        var result = await _collector.RunAsync(dryRun: false, TimeSpan.FromDays(7));

        Assert.Equal([orphan], result.SweptBlobs.Select(b => b.Digest));
        Assert.Equal(6, result.FreedBytes);
        Assert.Null(await _blobs.StatAsync("app", orphan));
        Assert.NotNull((await _manifests.GetAsync("app", "v1")).Content);
        Assert.NotNull(await _blobs.StatAsync("app", Digest.Sha256("kept layer"u8)));
        Assert.Equal(kept, (await _manifests.GetAsync("app", "v1")).Digest);
    }

    [Fact]
    public async Task DeletedManifestsLayersAreSweptButSharedOnesStay()
    {
        var doomed = await PushImageAsync("one", "v1", "unique layer");
        await PushImageAsync("two", "v1", "other layer");
        await _manifests.DeleteAsync("one", doomed.ToString());

        var result = await _collector.RunAsync(dryRun: false, TimeSpan.FromDays(7));

        Assert.Contains(result.SweptBlobs, b => b.Digest == Digest.Sha256("unique layer"u8));
        Assert.Contains(result.SweptBlobs, b => b.Digest == doomed);
        Assert.DoesNotContain(result.SweptBlobs, b => b.Digest == Digest.Sha256("{}"u8)); // config shared with "two"
        Assert.NotNull(await _blobs.StatAsync("two", Digest.Sha256("{}"u8)));
    }

    [Fact]
    public async Task DryRunReportsAndRemovesNothing()
    {
        var orphan = await PushBlobAsync("app", "orphan"u8.ToArray());
        var result = await _collector.RunAsync(dryRun: true, TimeSpan.FromDays(7));
        Assert.Single(result.SweptBlobs);
        Assert.NotNull(await _blobs.StatAsync("app", orphan));
    }

    [Fact]
    public async Task StaleUploadsAreRemoved()
    {
        var uuid = await _uploads.StartAsync("app");
        await _uploads.AppendAsync("app", uuid, new UploadChunk(new MemoryStream([1, 2, 3]), null, 3));
        Assert.Equal(0, (await _collector.RunAsync(false, TimeSpan.FromDays(1))).SweptUploads);
        Assert.Equal(1, (await _collector.RunAsync(false, TimeSpan.Zero)).SweptUploads);
        await Assert.ThrowsAsync<RegistryException>(() => _uploads.StatusAsync("app", uuid));
    }
}
