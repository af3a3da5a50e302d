using Berth.Oci.Image;

namespace Berth.Images.Tests;

/// <summary>Commit and build steps: images made of a parent and an active snapshot, their parent chains, and what rmi and prune do with them.</summary>
public sealed class CommitTests : IDisposable
{
    private readonly StoreFixture _fixture = new();
    private ImageStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    /// <summary>A container's layer on <paramref name="image"/> with one file written in it.</summary>
    private async Task<string> ChangedLayerAsync(ImageRecord image, string key, string file, string text)
    {
        var mounts = await Store.PrepareContainerRootAsync(image, key);
        await File.WriteAllTextAsync(Path.Combine(mounts[0].Source, file), text);
        return key;
    }

    private Task<ImageRecord> CommitAsync(ImageRecord parent, string? key, bool consume = false, params string[] references) =>
        Store.CommitImageAsync(new ImageCommit
        {
            Parent = parent,
            Config = new ImageRuntimeConfig { Cmd = ["sh"] },
            SnapshotKey = key,
            ConsumeSnapshot = consume,
            CreatedBy = "/bin/sh -c touch file",
            References = references,
        });

    [Fact]
    public async Task A_commit_adds_the_layer_history_and_parent_and_the_container_keeps_its_layer()
    {
        var baseImage = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var key = await ChangedLayerAsync(baseImage, "container-1", "hello.txt", "hi");

        var image = await CommitAsync(baseImage, key, references: "mine:1");

        Assert.Equal(2, image.Layers.Count);
        var config = await Store.ReadConfigAsync(image.Id);
        Assert.Equal(baseImage.Id.ToString(), config.Parent);
        Assert.Equal(2, config.History!.Count);
        Assert.Equal("/bin/sh -c touch file", config.History[1].CreatedBy);
        Assert.Contains("container-1", await _fixture.SnapshotsAsync());
        Assert.Contains(image.TopChainId!.Value.ToString(), await _fixture.SnapshotsAsync());
        var view = await _fixture.Snapshotter.ViewAsync("view-1", image.TopChainId.Value.ToString());
        Assert.Equal("hi", await File.ReadAllTextAsync(Path.Combine(view[0].Source, "hello.txt")));
    }

    [Fact]
    public async Task A_consumed_layer_becomes_the_image_layer_and_a_config_step_adds_an_empty_history_entry()
    {
        var baseImage = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var key = await ChangedLayerAsync(baseImage, "step-1", "a", "1");

        var step = await CommitAsync(baseImage, key, consume: true);
        var configOnly = await CommitAsync(step, null, references: "built");

        Assert.DoesNotContain("step-1", await _fixture.SnapshotsAsync());
        Assert.Equal(step.Layers, configOnly.Layers);
        Assert.True((await Store.ReadConfigAsync(configOnly.Id)).History![^1].EmptyLayer);
    }

    [Fact]
    public async Task Intermediate_images_are_neither_dangling_nor_listed_apart_and_go_with_their_last_child()
    {
        var baseImage = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var step = await CommitAsync(baseImage, await ChangedLayerAsync(baseImage, "s1", "a", "1"), consume: true);
        var final = await CommitAsync(step, null, references: "app");

        var summaries = await Store.ListAsync();
        var stepSummary = summaries.Single(s => s.Id == step.Id);
        Assert.True(stepSummary.IsIntermediate);
        Assert.False(stepSummary.IsDangling);
        Assert.Equal(step.Id, summaries.Single(s => s.Id == final.Id).ParentId);

        var pruned = await Store.PruneAsync(all: false, []);
        Assert.Empty(pruned.Items);

        var error = await Assert.ThrowsAsync<ImageException>(() => Store.DeleteAsync(step.Id.ToString(), force: true, []));
        Assert.Contains("image has dependent child images", error.Message);

        var lines = (await Store.DeleteAsync("app", false, [])).Select(i => i.ToString()).ToList();
        Assert.Contains($"Deleted: {final.Id}", lines);
        Assert.Contains($"Deleted: {step.Id}", lines);
        Assert.NotNull(await Store.TryResolveAsync("busybox")); // tagged: stays
    }

    [Fact]
    public async Task Pruning_a_dangling_built_image_takes_its_untagged_parents()
    {
        var baseImage = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var step = await CommitAsync(baseImage, await ChangedLayerAsync(baseImage, "s1", "a", "1"), consume: true);
        var final = await CommitAsync(step, null);

        var pruned = (await Store.PruneAsync(all: false, [])).Items.Select(i => i.ToString()).ToList();

        Assert.Contains($"Deleted: {final.Id}", pruned);
        Assert.Contains($"Deleted: {step.Id}", pruned);
        Assert.Equal([baseImage.Id], (await Store.ListAsync()).Select(s => s.Id));
    }
}
