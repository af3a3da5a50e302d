using System.Text;
using System.Text.Json;
using Berth.Oci.Image;

namespace Berth.Images.Tests;

public sealed class SaveLoadTests : IDisposable
{
    private readonly StoreFixture _source = new();
    private readonly StoreFixture _target = new();

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    private async Task<byte[]> SaveAsync(params string[] names)
    {
        var output = new MemoryStream();
        await _source.Store.SaveAsync(names, output);
        return output.ToArray();
    }

    private static TestTar Archive(Dictionary<string, byte[]> files, Func<string, bool>? keep = null)
    {
        var tar = new TestTar();
        foreach (var (name, data) in files.Where(f => keep?.Invoke(f.Key) ?? true))
        {
            if (name.EndsWith('/')) tar.Dir(name);
            else tar.File(name, data);
        }
        return tar;
    }

    [Fact]
    public async Task SaveThenLoadGivesTheSameImagesAndTags()
    {
        var busybox = await _source.ImportAsync(TestTar.Rootfs("a"), "busybox", null, "CMD [\"sh\"]");
        await _source.Store.TagAsync("busybox", "busybox:1.36");
        var app = await _source.ImportAsync(TestTar.Rootfs("b"), "localhost:5000/app:v2");

        var saved = await SaveAsync("busybox", "localhost:5000/app:v2");

        var loaded = await _target.Store.LoadAsync(new MemoryStream(saved));
        Assert.Equal([busybox.Id, app.Id], loaded.Select(l => l.Image.Id));
        Assert.Equal(["busybox:1.36", "busybox:latest"], loaded[0].Tags.Order());
        Assert.Equal(["localhost:5000/app:v2"], loaded[1].Tags);
        Assert.Equal(busybox with { LastTagTime = null }, (await _target.Index.GetAsync(busybox.Id))! with { LastTagTime = null });
        Assert.Equal(["sh"], (await _target.Store.InspectAsync("busybox:1.36")).Config.Config!.Cmd);
        var root = (await _target.Store.PrepareContainerRootAsync(loaded[1].Image, "c")).Single().Source;
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(root, "etc/hostname")));
    }

    [Fact]
    public async Task TheSavedTarIsADockerArchiveAndAnOciLayout()
    {
        var image = await _source.ImportAsync(TestTar.Rootfs(), "busybox");
        var files = TestTar.Read(await SaveAsync(image.Id.Encoded[..12], "busybox"));

        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", Encoding.UTF8.GetString(files["oci-layout"]));
        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        var entry = Assert.Single(manifest.RootElement.EnumerateArray().ToList());
        Assert.Equal($"blobs/sha256/{image.Id.Encoded}", entry.GetProperty("Config").GetString());
        Assert.Equal(["busybox:latest"], entry.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([$"blobs/sha256/{image.Layers[0].Blob.Encoded}"], entry.GetProperty("Layers").EnumerateArray().Select(t => t.GetString()));
        using var index = JsonDocument.Parse(files["index.json"]);
        var descriptor = index.RootElement.GetProperty("manifests").EnumerateArray().Single();
        Assert.Equal(image.ManifestDigest.ToString(), descriptor.GetProperty("digest").GetString());
        Assert.Equal(files[$"blobs/sha256/{image.ManifestDigest.Encoded}"].Length, descriptor.GetProperty("size").GetInt64());
        Assert.Equal("docker.io/library/busybox:latest", descriptor.GetProperty("annotations").GetProperty("io.containerd.image.name").GetString());
        Assert.Contains(image.Id.Encoded, Encoding.UTF8.GetString(files["repositories"]));
        foreach (var blob in image.Blobs) Assert.Equal(blob, Digest.Sha256(files[$"blobs/sha256/{blob.Encoded}"]));
    }

    [Fact]
    public async Task SavingARepositoryNameSavesAllItsTags()
    {
        var one = await _source.ImportAsync(TestTar.Rootfs("a"), "app:1");
        var two = await _source.ImportAsync(TestTar.Rootfs("b"), "app:2");
        await _source.ImportAsync(TestTar.Rootfs("c"), "other");
        var loaded = await _target.Store.LoadAsync(new MemoryStream(await SaveAsync("app")));
        Assert.Equal([(one.Id, "app:1"), (two.Id, "app:2")], loaded.Select(l => (l.Image.Id, l.Tags.Single())));
    }

    [Fact]
    public async Task AnOciLayoutAloneLoadsWithItsNames()
    {
        var image = await _source.ImportAsync(TestTar.Rootfs(), "localhost:5000/team/app:v1");
        var files = TestTar.Read(await SaveAsync("localhost:5000/team/app:v1"));
        var layout = Archive(files, name => name is not ("manifest.json" or "repositories"));

        var loaded = Assert.Single(await _target.Store.LoadAsync(layout.ToStream()));

        Assert.Equal((image.Id, image.ManifestDigest), (loaded.Image.Id, loaded.Image.ManifestDigest));
        Assert.Equal(["localhost:5000/team/app:v1"], loaded.Tags);
    }

    [Fact]
    public async Task AHandMadeLegacyDockerArchiveWithAGzipLayerLoads()
    {
        var layer = TestTar.Rootfs("legacy").ToArray();
        var diffId = Digest.Sha256(layer);
        var config = Encoding.UTF8.GetBytes($$$"""
            {"architecture":"amd64","os":"linux","created":"2023-01-02T03:04:05.123456789Z","config":{"Cmd":["sh"],"Labels":{"a":"b"}},
             "rootfs":{"type":"layers","diff_ids":["{{{diffId}}}"]},"history":[{"created_by":"ADD rootfs /","created":"2023-01-02T03:04:05Z"},{"created_by":"CMD [\"sh\"]","empty_layer":true}]}
            """);
        var id = Digest.Sha256(config);
        var archive = new TestTar()
            .Dir("abc123/").File("abc123/layer.tar", TestTar.Gzip(layer)).File("abc123/VERSION", "1.0").File("abc123/json", "{}")
            .File($"{id.Encoded}.json", config)
            .File("manifest.json", $$"""[{"Config":"{{id.Encoded}}.json","RepoTags":["busybox:legacy"],"Layers":["abc123/layer.tar"]}]""")
            .File("repositories", """{"busybox":{"legacy":"abc123"}}""");

        var loaded = Assert.Single(await _target.Store.LoadAsync(archive.ToGzipStream()));

        Assert.Equal((id, "busybox:legacy"), (loaded.Image.Id, loaded.Tags.Single()));
        Assert.Equal(MediaTypes.DockerLayerGzip, loaded.Image.Layers[0].MediaType);
        Assert.Equal(new DateTimeOffset(2023, 1, 2, 3, 4, 5, 123, TimeSpan.Zero).AddTicks(4567), loaded.Image.Created);
        var history = await _target.Store.HistoryAsync("busybox:legacy");
        Assert.Equal([("CMD [\"sh\"]", 0L, true), ("ADD rootfs /", (long)layer.Length, false)], history.Select(h => (h.CreatedBy, h.Size, h.EmptyLayer)));
        Assert.Equal("b", (await _target.Store.ListAsync()).Single().Labels["a"]);
        // Only the image's blobs are kept: the archive's other files (VERSION, json, repositories, manifest.json) are gone.
        Assert.Equal(loaded.Image.Blobs.Select(b => b.ToString()).Order(), (await _target.BlobsAsync()).Select(b => b.ToString()).Order());
    }

    [Fact]
    public async Task ASymlinkedLegacyLayerPathLoads()
    {
        await _source.ImportAsync(TestTar.Rootfs(), "busybox");
        var files = TestTar.Read(await SaveAsync("busybox"));
        var manifest = Encoding.UTF8.GetString(files["manifest.json"]);
        var layerPath = JsonDocument.Parse(manifest).RootElement[0].GetProperty("Layers")[0].GetString()!;
        var archive = Archive(files, name => name != "manifest.json")
            .Dir("legacy/").Symlink("legacy/layer.tar", "../" + layerPath)
            .File("manifest.json", manifest.Replace(layerPath, "legacy/layer.tar"));
        Assert.Single(await _target.Store.LoadAsync(archive.ToStream()));
    }

    [Fact]
    public async Task AnUpperCaseRepositoryNameIsRefusedAsDockerRefusesIt()
    {
        await _source.ImportAsync(TestTar.Rootfs(), "busybox");
        var files = TestTar.Read(await SaveAsync("busybox"));
        var manifest = Encoding.UTF8.GetString(files["manifest.json"]).Replace("\"busybox:latest\"", "\"Busybox:latest\"");
        var archive = Archive(files, name => name is not ("manifest.json" or "index.json" or "repositories")).File("manifest.json", manifest);

        var error = await Assert.ThrowsAsync<ImageException>(() => _target.Store.LoadAsync(archive.ToStream()));

        Assert.Equal("invalid reference format: repository name (library/Busybox) must be lowercase", error.Message);
        Assert.DoesNotContain(await _target.Store.ListAsync(), i => i.RepoTags.Count > 0);
    }

    [Fact]
    public async Task AWrongDiffIdIsRefusedAndLeavesNothing()
    {
        var layer = TestTar.Rootfs().ToArray();
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:{{{new string('c', 64)}}}"]}}""");
        var archive = new TestTar().File("layer.tar", layer).File("config.json", config)
            .File("manifest.json", """[{"Config":"config.json","RepoTags":["bad:1"],"Layers":["layer.tar"]}]""");

        var error = await Assert.ThrowsAsync<ImageException>(() => _target.Store.LoadAsync(archive.ToStream()));
        Assert.StartsWith("invalid diffID for layer 0", error.Message);
        await _target.AssertEmptyAsync();
    }

    [Fact]
    public async Task ABlobWhoseContentIsNotItsNameIsRefused()
    {
        await _source.ImportAsync(TestTar.Rootfs(), "busybox");
        var files = TestTar.Read(await SaveAsync("busybox"));
        var layer = files.Keys.Single(k => k.StartsWith("blobs/sha256/") && files[k].Length > 1000);
        files[layer] = TestTar.Rootfs("tampered").ToArray();
        await Assert.ThrowsAsync<ImageException>(() => _target.Store.LoadAsync(Archive(files).ToStream()));
        await _target.AssertEmptyAsync();
    }

    [Fact]
    public async Task AHostileLayerInAnArchiveIsRefusedAndLeavesNothing()
    {
        var layer = new TestTar().File("ok", "x").File("../../outside", "x").ToArray();
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{Digest.Sha256(layer)}}}"]}}""");
        var archive = new TestTar().File("layer.tar", layer).File("config.json", config)
            .File("manifest.json", """[{"Config":"config.json","RepoTags":["evil:1"],"Layers":["layer.tar"]}]""");
        await Assert.ThrowsAsync<ImageException>(() => _target.Store.LoadAsync(archive.ToStream()));
        await _target.AssertEmptyAsync();
    }

    [Theory]
    [InlineData("../manifest.json")]
    [InlineData("/manifest.json")]
    public async Task AnArchiveEntryOutsideTheArchiveIsRefused(string name)
    {
        var archive = new TestTar().File(name, "[]");
        await Assert.ThrowsAsync<ImageException>(() => _target.Store.LoadAsync(archive.ToStream()));
        await _target.AssertEmptyAsync();
    }

    [Fact]
    public async Task AnArchiveWithoutAManifestIsRefused()
    {
        var error = await Assert.ThrowsAsync<ImageException>(() => _target.Store.LoadAsync(new TestTar().File("hello", "x").ToStream()));
        Assert.Equal(ImageErrorKind.InvalidArgument, error.Kind);
        await _target.AssertEmptyAsync();
    }

    [Fact]
    public async Task SavingAMissingImageFailsBeforeWriting()
    {
        var output = new MemoryStream();
        var error = await Assert.ThrowsAsync<ImageException>(() => _source.Store.SaveAsync(["ghost"], output));
        Assert.Equal("No such image: ghost", error.Message);
        Assert.Equal(0, output.Length);
    }
}
