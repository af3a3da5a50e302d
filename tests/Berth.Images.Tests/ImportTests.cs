using System.Security.Cryptography;
using System.Text;
using Berth.Content;
using Berth.Oci.Image;
using Berth.Snapshots;

namespace Berth.Images.Tests;

public sealed class ImportTests : IDisposable
{
    private readonly StoreFixture _fixture = new();
    private ImageStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task TheImageIdIsTheDigestOfTheConfigAsStoredAndTheLayerIsItsDiffId()
    {
        var tar = TestTar.Rootfs();
        var image = await _fixture.ImportAsync(tar, "busybox");

        var config = await _fixture.Content.ReadAllBytesAsync(image.Id);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(config)), image.Id.ToString());
        var diffId = Digest.Sha256(tar.ToArray());
        var layer = Assert.Single(image.Layers);
        Assert.Equal((diffId, diffId, diffId, (long)tar.ToArray().Length), (layer.Blob, layer.DiffId, layer.ChainId, layer.DiffSize));
        Assert.Equal(tar.ToArray(), await _fixture.Content.ReadAllBytesAsync(layer.Blob));
        using var manifest = System.Text.Json.JsonDocument.Parse(await _fixture.Content.ReadAllBytesAsync(image.ManifestDigest));
        Assert.Equal(MediaTypes.DockerManifest, manifest.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(image.Id.ToString(), manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal(diffId.ToString(), manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString());
    }

    [Fact]
    public async Task AnImportedImageResolvesByEveryNameForm()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        string[] names =
        [
            "busybox", "busybox:latest", "docker.io/library/busybox:latest", "library/busybox", "index.docker.io/library/busybox",
            image.Id.ToString(), image.Id.Encoded, image.Id.Encoded[..12], image.Id.Encoded[..1], "sha256:" + image.Id.Encoded[..5],
        ];
        foreach (var name in names) Assert.Equal(image.Id, (await Store.ResolveAsync(name)).Id);
    }

    [Fact]
    public async Task AMissingImageIsDockersNoSuchImageWithTheNameAsWritten()
    {
        await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        foreach (var name in new[] { "busybox:1.36", "alpine", "localhost:5000/busybox", "sha256:" + new string('0', 64), "0000" })
        {
            var error = await Assert.ThrowsAsync<ImageException>(() => Store.ResolveAsync(name));
            Assert.Equal((ImageErrorKind.NotFound, $"No such image: {name}"), (error.Kind, error.Message));
        }
        var invalid = await Assert.ThrowsAsync<ImageException>(() => Store.ResolveAsync("Busybox"));
        Assert.Equal((ImageErrorKind.InvalidArgument, "invalid reference format: repository name (library/Busybox) must be lowercase"), (invalid.Kind, invalid.Message));
    }

    [Fact]
    public async Task AReferenceWithTagAndDigestResolvesByTheDigest()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs());
        var digest = "sha256:" + new string('a', 64);
        await _fixture.Index.SetReferenceAsync($"docker.io/library/app@{digest}", image.Id, DateTimeOffset.UtcNow);
        Assert.Equal(image.Id, (await Store.ResolveAsync($"app:whatever@{digest}")).Id);
        Assert.Equal(["app@" + digest], (await Store.InspectAsync(image.Id.ToString())).RepoDigests);
    }

    [Fact]
    public async Task ListInspectAndHistoryDescribeTheImage()
    {
        var created = new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var tar = TestTar.Rootfs();
        var image = await Store.ImportAsync(tar.ToStream(), new ImportOptions
        {
            Reference = "localhost:5000/team/app:v1", Message = "Imported from -", Created = created,
            Changes = ["CMD [\"sh\"]", "ENV a=b c=\"d e\"", "WORKDIR /srv", "WORKDIR data", "LABEL org.example=yes", "EXPOSE 80 53/udp",
                "VOLUME /data", "USER nobody", "STOPSIGNAL SIGTERM", "ENTRYPOINT [\"/bin/busybox\"]"],
        });

        var summary = Assert.Single(await Store.ListAsync());
        Assert.Equal((image.Id, created, (long)tar.ToArray().Length), (summary.Id, summary.Created, summary.Size));
        Assert.Equal(["localhost:5000/team/app:v1"], summary.RepoTags);
        Assert.Equal("yes", summary.Labels["org.example"]);

        var details = await Store.InspectAsync("localhost:5000/team/app:v1");
        Assert.Equal(("amd64", "linux", "Imported from -"), (details.Architecture, details.Os, details.Config.Comment));
        Assert.Equal([image.Layers[0].DiffId.ToString()], details.DiffIds);
        var config = details.Config.Config!;
        Assert.Equal(["sh"], config.Cmd);
        Assert.Equal(["/bin/busybox"], config.Entrypoint);
        Assert.Equal(["a=b", "c=d e"], config.Env);
        Assert.Equal("/srv/data", config.WorkingDir);
        Assert.Equal(["53/udp", "80/tcp"], config.ExposedPorts!.Keys.Order());
        Assert.Equal(["/data"], config.Volumes!.Keys);
        Assert.Equal(("nobody", "SIGTERM"), (config.User, config.StopSignal));

        var history = Assert.Single(await Store.HistoryAsync(image.Id.Encoded[..12]));
        Assert.Equal((image.Id.ToString(), created, "Imported from -", (long)tar.ToArray().Length, false),
            (history.Id, history.Created, history.Comment, history.Size, history.EmptyLayer));
        Assert.Equal(["localhost:5000/team/app:v1"], history.Tags);
    }

    [Fact]
    public async Task AnInvalidChangeIsRefusedBeforeAnythingIsStored()
    {
        var error = await Assert.ThrowsAsync<ImageException>(() => _fixture.ImportAsync(TestTar.Rootfs(), "x", null, "RUN echo hi"));
        Assert.Equal((ImageErrorKind.InvalidArgument, "RUN is not a valid change command"), (error.Kind, error.Message));
        await _fixture.AssertEmptyAsync();
    }

    [Fact]
    public async Task GzipAndZstdRootfsTarsGiveTheSameLayerAsThePlainTar()
    {
        var tar = TestTar.Rootfs();
        var plain = await _fixture.ImportAsync(tar, "a");
        var gzip = await Store.ImportAsync(tar.ToGzipStream(), new ImportOptions { Reference = "b" });
        var zstd = await Store.ImportAsync(tar.ToZstdStream(), new ImportOptions { Reference = "c", OciManifest = true });
        Assert.Equal(plain.Layers[0].DiffId, gzip.Layers[0].DiffId);
        Assert.Equal(plain.Layers[0].DiffId, zstd.Layers[0].DiffId);
        Assert.Equal(MediaTypes.OciManifest, zstd.ManifestMediaType);
        Assert.Equal([plain.Layers[0].ChainId.ToString()], await _fixture.SnapshotsAsync()); // one snapshot, shared
    }

    [Fact]
    public async Task TheLayerIsUnpackedAndAContainerRootIsPreparedOnIt()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs("hello"), "busybox");
        var mounts = await Store.PrepareContainerRootAsync(image, "container-1");
        var root = Assert.Single(mounts).Source;
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(root, "etc/hostname")));
        Assert.Equal("hostname", new FileInfo(Path.Combine(root, "etc/link")).LinkTarget);
        var info = await _fixture.Snapshotter.StatAsync("container-1");
        Assert.Equal((SnapshotKind.Active, image.TopChainId.ToString()), (info.Kind, info.Parent));

        Assert.True(await Store.RemoveContainerRootAsync("container-1"));
        Assert.False(await Store.RemoveContainerRootAsync("container-1"));
    }

    [Fact]
    public async Task ConcurrentUnpacksOfOneChainMakeOneSnapshot()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        await _fixture.Snapshotter.RemoveAsync(image.TopChainId.ToString()!);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Store.UnpackAsync(image))));

        Assert.Equal([image.TopChainId.ToString()!], await _fixture.SnapshotsAsync());
    }

    [Fact]
    public async Task ARootfsDirectoryTarredByTheTestImportsAndUnpacks()
    {
        // The busybox-static rootfs when the build made it, else a few files: the test never skips.
        using var temp = new TempDirectory();
        var source = Directory.Exists(Berth.Testing.RepoPaths.BusyboxRootfs) ? Berth.Testing.RepoPaths.BusyboxRootfs : MakeRootfs(temp.Combine("rootfs"));
        var tarPath = temp.Combine("rootfs.tar");
        await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(source, tarPath, includeBaseDirectory: false);

        await using (var tar = File.OpenRead(tarPath))
            await Store.ImportAsync(tar, new ImportOptions { Reference = "busybox", Changes = ["CMD [\"sh\"]"] });

        var image = await Store.ResolveAsync("busybox");
        Assert.Equal(new FileInfo(tarPath).Length, image.Size);
        var root = (await Store.PrepareContainerRootAsync(image, "c")).Single().Source;
        var noLinks = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(source, "*", noLinks).Take(50))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(root, Path.GetRelativePath(source, file))));
    }

    private static string MakeRootfs(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        Directory.CreateDirectory(Path.Combine(dir, "etc"));
        File.WriteAllText(Path.Combine(dir, "bin", "busybox"), "#!/bin/busybox\n");
        File.WriteAllText(Path.Combine(dir, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(dir, "bin", "sh"), "busybox");
        return dir;
    }
}
