using Berth.Oci.Image;

namespace Berth.Images.Tests;

public sealed class DeleteTests : IDisposable
{
    private const string ContainerId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly StoreFixture _fixture = new();
    private ImageStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    private static List<string> Lines(IEnumerable<ImageDeleteItem> items) => [.. items.Select(i => i.ToString())];

    private async Task<ImageException> Conflict(string name, bool force, params ImageUse[] uses)
    {
        var error = await Assert.ThrowsAsync<ImageException>(() => Store.DeleteAsync(name, force, uses));
        Assert.Equal(ImageErrorKind.Conflict, error.Kind);
        return error;
    }

    [Fact]
    public async Task TagAddsANormalisedReferenceAndRefusesADigest()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var tagged = await Store.TagAsync("busybox", "localhost:5000/box");
        Assert.Equal(("docker.io/library/busybox:latest", "localhost:5000/box:latest"), ((await Store.TagAsync(image.Id.Encoded[..6], "busybox")).ToString(), tagged.ToString()));
        Assert.Equal(["busybox:latest", "localhost:5000/box:latest"], (await Store.InspectAsync("busybox")).RepoTags);
        Assert.NotNull((await _fixture.Index.GetAsync(image.Id))!.LastTagTime);

        var digest = await Assert.ThrowsAsync<ImageException>(() => Store.TagAsync("busybox", "x@sha256:" + new string('a', 64)));
        Assert.Equal("refusing to create a tag with a digest reference", digest.Message);
        var upper = await Assert.ThrowsAsync<ImageException>(() => Store.TagAsync("busybox", "Busybox"));
        Assert.Equal(ImageErrorKind.InvalidArgument, upper.Kind);
        await Assert.ThrowsAsync<ImageException>(() => Store.TagAsync("nothere", "x"));
    }

    [Fact]
    public async Task RemovingOneOfTwoTagsOnlyUntags()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        await Store.TagAsync("busybox", "mine:1");

        Assert.Equal(["Untagged: mine:1"], Lines(await Store.DeleteAsync("mine:1", false, [])));
        Assert.Equal(image.Id, (await Store.ResolveAsync("busybox")).Id);
    }

    [Fact]
    public async Task RemovingTheLastTagDeletesTheImageItsBlobsAndItsSnapshots()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");

        var lines = Lines(await Store.DeleteAsync("busybox", false, []));

        Assert.Equal(["Untagged: busybox:latest", $"Deleted: {image.Id}", $"Deleted: {image.TopChainId}"], lines);
        await _fixture.AssertEmptyAsync();
    }

    [Fact]
    public async Task DeletingByIdAnImageInSeveralRepositoriesMustBeForced()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        await Store.TagAsync("busybox", "other");

        var error = await Conflict(image.Id.Encoded[..12], force: false);
        Assert.Equal($"conflict: unable to delete {image.ShortId} (must be forced) - image is referenced in multiple repositories", error.Message);

        var lines = Lines(await Store.DeleteAsync(image.Id.Encoded[..12], true, []));
        Assert.Equal(["Untagged: busybox:latest", "Untagged: other:latest", $"Deleted: {image.Id}", $"Deleted: {image.TopChainId}"], lines);
        await _fixture.AssertEmptyAsync();
    }

    [Fact]
    public async Task DeletingByIdWithOneTagUntagsAndDeletes()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        Assert.Equal(["Untagged: busybox:latest", $"Deleted: {image.Id}", $"Deleted: {image.TopChainId}"], Lines(await Store.DeleteAsync(image.Id.ToString(), false, [])));
    }

    [Fact]
    public async Task AnImageARunningContainerUsesCannotBeDeletedEvenForced()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var use = new ImageUse(image.Id, ContainerId, Running: true);
        foreach (var force in new[] { false, true })
        {
            var error = await Conflict(image.Id.ToString(), force, use);
            Assert.Equal($"conflict: unable to delete {image.ShortId} (cannot be forced) - image is being used by running container 0123456789ab", error.Message);
        }
        Assert.Equal(image.Id, (await Store.ResolveAsync("busybox")).Id);
    }

    [Fact]
    public async Task AnImageAStoppedContainerUsesIsDeletedOnlyWhenForced()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs());
        var use = new ImageUse(image.Id, ContainerId, Running: false);
        var error = await Conflict(image.Id.ToString(), false, use);
        Assert.Equal($"conflict: unable to delete {image.ShortId} (must be forced) - image is being used by stopped container 0123456789ab", error.Message);

        Assert.Equal($"Deleted: {image.Id}", Lines(await Store.DeleteAsync(image.Id.ToString(), true, [use]))[0]);
        Assert.Null(await Store.TryResolveAsync(image.Id.ToString()));
    }

    [Fact]
    public async Task TheLastTagOfAnImageInUseIsKeptUnlessForced()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var running = new ImageUse(image.Id, ContainerId, Running: true);
        var error = await Conflict("busybox", false, running);
        Assert.Equal($"conflict: unable to remove repository reference \"busybox\" (must force) - container 0123456789ab is using its referenced image {image.ShortId}", error.Message);

        // Forced: the tag goes, the image stays for its running container.
        Assert.Equal(["Untagged: busybox:latest"], Lines(await Store.DeleteAsync("busybox", true, [running])));
        Assert.Equal(image.Id, (await Store.ResolveAsync(image.Id.ToString())).Id);
    }

    [Fact]
    public async Task SharedLayersStayWhenOneOfTwoImagesIsDeleted()
    {
        var first = await _fixture.ImportAsync(TestTar.Rootfs(), "first", "one");
        var second = await _fixture.ImportAsync(TestTar.Rootfs(), "second", "two");
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.TopChainId, second.TopChainId);

        var lines = Lines(await Store.DeleteAsync("first", false, []));

        Assert.Equal(["Untagged: first:latest", $"Deleted: {first.Id}"], lines); // the layer is still needed
        Assert.Equal([second.TopChainId.ToString()!], await _fixture.SnapshotsAsync());
        Assert.True(await _fixture.Content.ExistsAsync(second.Layers[0].Blob));
        Assert.False(await _fixture.Content.ExistsAsync(first.Id));
        Assert.False(await _fixture.Content.ExistsAsync(first.ManifestDigest));
        var root = (await Store.PrepareContainerRootAsync(second, "c")).Single().Source;
        Assert.True(File.Exists(Path.Combine(root, "bin/busybox")));

        await Store.RemoveContainerRootAsync("c");
        await Store.DeleteAsync("second", false, []);
        await _fixture.AssertEmptyAsync();
    }

    [Fact]
    public async Task ALayerUnderAContainerRootIsKeptUntilTheContainerIsGone()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        await Store.PrepareContainerRootAsync(image, "c");
        var lines = Lines(await Store.DeleteAsync("busybox", true, [new ImageUse(image.Id, ContainerId, false)]));
        Assert.Equal(["Untagged: busybox:latest", $"Deleted: {image.Id}"], lines);
        Assert.Equal(["c", image.TopChainId.ToString()!], await _fixture.SnapshotsAsync());

        Assert.True(await Store.RemoveContainerRootAsync("c"));
        Assert.Empty(await _fixture.SnapshotsAsync());
    }

    [Fact]
    public async Task GarbageCollectionRemovesStaleUnpacksAndLayersNoImageNeeds()
    {
        var kept = await _fixture.ImportAsync(TestTar.Rootfs("a"), "kept");
        var stale = $"extract-{Guid.NewGuid():N}-{kept.TopChainId}";
        await _fixture.Snapshotter.PrepareAsync(stale, null);
        await _fixture.Snapshotter.PrepareAsync("orphan-active", null);
        await _fixture.Snapshotter.CommitAsync("sha256:" + new string('d', 64), "orphan-active");
        await _fixture.Snapshotter.PrepareAsync("orphan-child", "sha256:" + new string('d', 64));
        await _fixture.Snapshotter.CommitAsync("sha256:" + new string('e', 64), "orphan-child");

        var removed = await Store.CollectGarbageAsync();

        Assert.Equal(["sha256:" + new string('e', 64), "sha256:" + new string('d', 64)], removed.Select(d => d.ToString()));
        Assert.Equal([kept.TopChainId.ToString()!], await _fixture.SnapshotsAsync());
    }

    [Fact]
    public async Task GarbageCollectionRemovesAbandonedIngestsAndBlobsNoImageNeedsButNotWhatAWriterHolds()
    {
        var kept = await _fixture.ImportAsync(TestTar.Rootfs("a"), "kept");
        var keptBlobs = await _fixture.BlobsAsync();
        // What a killed pull leaves: a partial download, and a blob committed but never indexed.
        await using (var partial = await _fixture.Content.OpenWriterAsync("layer-partial", Digest.Sha256("whole"u8), 5))
            await partial.WriteAsync("wh"u8.ToArray());
        await using (var orphan = await _fixture.Content.OpenWriterAsync("orphan"))
        {
            await orphan.WriteAsync("nobody's"u8.ToArray());
            await orphan.CommitAsync();
        }
        await using var busy = await _fixture.Content.OpenWriterAsync("in-flight");
        await busy.WriteAsync("still coming"u8.ToArray());

        await Store.CollectGarbageAsync();

        Assert.Equal(keptBlobs.Select(b => b.ToString()).Order(), (await _fixture.BlobsAsync()).Select(b => b.ToString()).Order());
        Assert.Equal(["in-flight"], (await _fixture.Content.ListIngestsAsync()).Select(i => i.Reference));
        Assert.Equal(kept.Id, (await Store.ResolveAsync("kept")).Id);
    }

    [Fact]
    public async Task PruneEndsWithAGarbageCollection()
    {
        await _fixture.ImportAsync(TestTar.Rootfs("a"), "kept");
        var keptBlobs = await _fixture.BlobsAsync();
        await using (var partial = await _fixture.Content.OpenWriterAsync("layer-partial"))
            await partial.WriteAsync("wh"u8.ToArray());

        await Store.PruneAsync(all: false, []);

        Assert.Empty(await _fixture.Content.ListIngestsAsync());
        Assert.Equal(keptBlobs.Select(b => b.ToString()).Order(), (await _fixture.BlobsAsync()).Select(b => b.ToString()).Order());
    }

    [Fact]
    public async Task RemovingTheLastTagOfARepositoryAlsoRemovesItsDigestReferences()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "app:1");
        await Store.TagAsync("app:1", "keep");
        var digest = "sha256:" + new string('b', 64);
        await _fixture.Index.SetReferenceAsync($"docker.io/library/app@{digest}", image.Id, DateTimeOffset.UtcNow);

        Assert.Equal(["Untagged: app:1", $"Untagged: app@{digest}"], Lines(await Store.DeleteAsync("app:1", false, [])));
        Assert.Equal(["keep:latest"], (await Store.InspectAsync(image.Id.ToString())).RepoTags);
        Assert.Empty((await Store.InspectAsync(image.Id.ToString())).RepoDigests);
    }

    [Fact]
    public async Task PruneDeletesDanglingImagesOrWithAllEveryUnusedImage()
    {
        var dangling = await _fixture.ImportAsync(TestTar.Rootfs("a"));
        var tagged = await _fixture.ImportAsync(TestTar.Rootfs("b"), "tagged");
        var used = await _fixture.ImportAsync(TestTar.Rootfs("c"), "used");
        ImageUse[] uses = [new(used.Id, ContainerId, false)];

        var pruned = await Store.PruneAsync(all: false, uses);
        Assert.Equal([$"Deleted: {dangling.Id}", $"Deleted: {dangling.TopChainId}"], Lines(pruned.Items));
        Assert.Equal(dangling.Size, pruned.SpaceReclaimed);

        var all = await Store.PruneAsync(all: true, uses);
        Assert.Equal(["Untagged: tagged:latest", $"Deleted: {tagged.Id}", $"Deleted: {tagged.TopChainId}"], Lines(all.Items));
        Assert.Equal([used.Id], (await Store.ListAsync()).Select(s => s.Id));
    }

    [Fact]
    public async Task ATagMovedToAnotherImageLeavesTheOldOneDangling()
    {
        var old = await _fixture.ImportAsync(TestTar.Rootfs("a"), "app");
        var fresh = await _fixture.ImportAsync(TestTar.Rootfs("b"), "app");
        var images = await Store.ListAsync();
        Assert.Empty(images.Single(i => i.Id == old.Id).RepoTags);
        Assert.Equal(["app:latest"], images.Single(i => i.Id == fresh.Id).RepoTags);
        Assert.True(await Store.UntagAsync("app"));
        Assert.False(await Store.UntagAsync("app"));
    }

    [Fact]
    public async Task DeletingAnUnknownImageIsNotFound()
    {
        var error = await Assert.ThrowsAsync<ImageException>(() => Store.DeleteAsync("ghost", false, []));
        Assert.Equal((ImageErrorKind.NotFound, "No such image: ghost"), (error.Kind, error.Message));
    }
}
