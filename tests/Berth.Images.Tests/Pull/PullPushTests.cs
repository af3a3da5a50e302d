using System.Text;
using Berth.Distribution.Client;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Pull;

public sealed class PullPushTests : IDisposable
{
    private readonly StoreFixture _source = new();
    private readonly StoreFixture _target = new();

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    private static string[] Lines<T>(Recorder<T> recorder) => [.. recorder.Items.Select(i => i!.ToString()!)];

    [Fact]
    public async Task APushedImagePullsIntoAnEmptyStoreAsTheSameImage()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var name = registry.Ref("team/app:1");
        var imported = await _source.ImportAsync(TestTar.Rootfs(), name);
        var pushProgress = new Recorder<PushProgress>();

        var pushed = Assert.Single(await _source.Store.PushAsync(name, new PushOptions(), pushProgress));

        Assert.Equal(("1", imported.ManifestDigest), (pushed.Tag, pushed.Digest));
        var layer = imported.Layers[0].DiffId.Encoded[..12];
        var push = Lines(pushProgress);
        Assert.Equal($"The push refers to repository [{registry.Domain}/team/app]", push[0]);
        Assert.Equal([$"{layer}: Preparing"], push[1..2]);
        Assert.Contains(push, l => l.StartsWith($"{layer}: Pushing ", StringComparison.Ordinal));
        Assert.Equal([$"{layer}: Pushed", $"1: digest: {pushed.Digest} size: {pushed.Size}"], push[^2..]);

        var pullProgress = new Recorder<PullProgress>();
        var pulled = Assert.Single(await _target.Store.PullAsync(name, new PullOptions(), pullProgress));

        Assert.Equal(imported.Id, pulled.Id);
        Assert.Equal(imported.ManifestDigest, pulled.ManifestDigest);
        var details = await _target.Store.InspectAsync(name);
        Assert.Equal([name], details.RepoTags);
        Assert.Equal([$"{registry.Domain}/team/app@{pushed.Digest}"], details.RepoDigests);
        var blob = imported.Layers[0].Blob.Encoded[..12];
        var pull = Lines(pullProgress);
        Assert.Equal(["1: Pulling from team/app", $"{blob}: Pulling fs layer"], pull[..2]);
        var afterFirst = pull.Skip(2).Select(l => l.Split(' ')[0] + " " + l.Split(' ')[1]).Distinct().ToArray();
        Assert.Equal([$"{blob}: Downloading", $"{blob}: Verifying", $"{blob}: Download", $"{blob}: Extracting", $"{blob}: Pull",
            "Digest: sha256:" + pushed.Digest.Encoded, "Status: Downloaded"], afterFirst);
        Assert.Equal($"Status: Downloaded newer image for {name}", pull[^1]);

        var again = new Recorder<PullProgress>();
        await _target.Store.PullAsync(name, new PullOptions(), again);
        Assert.Equal(["1: Pulling from team/app", $"Digest: {pushed.Digest}", $"Status: Image is up to date for {name}"], Lines(again));
    }

    [Fact]
    public async Task APullByDigestSetsNoTagAndAMissingTagIsNotFound()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var imported = await _source.ImportAsync(TestTar.Rootfs(), registry.Ref("app:v1"));
        var pushed = Assert.Single(await _source.Store.PushAsync(registry.Ref("app:v1")));

        var pulled = Assert.Single(await _target.Store.PullAsync(registry.Ref($"app@{pushed.Digest}")));

        Assert.Equal(imported.Id, pulled.Id);
        var details = await _target.Store.InspectAsync(imported.Id.ToString());
        Assert.Empty(details.RepoTags);
        Assert.Equal([$"{registry.Domain}/app@{pushed.Digest}"], details.RepoDigests);
        var missing = await Assert.ThrowsAsync<ImageException>(() => _target.Store.PullAsync(registry.Ref("app:nope")));
        Assert.Equal(ImageErrorKind.NotFound, missing.Kind);
        Assert.StartsWith($"manifest for {registry.Domain}/app:nope not found: manifest unknown", missing.Message);
    }

    [Fact]
    public async Task AManifestListGivesTheImageOfThePlatformAskedFor()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var amd = await registry.PushHandmadeAsync(client, "multi", null, "amd64", TestTar.Rootfs("amd").ToArray());
        var arm = await registry.PushHandmadeAsync(client, "multi", null, "arm64", TestTar.Rootfs("arm").ToArray());
        var list = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifestList}}","manifests":[
             {"mediaType":"{{amd.Manifest.MediaType}}","digest":"{{amd.Manifest.Digest}}","size":{{amd.Manifest.Size}},"platform":{"architecture":"amd64","os":"linux"} },
             {"mediaType":"{{arm.Manifest.MediaType}}","digest":"{{arm.Manifest.Digest}}","size":{{arm.Manifest.Size}},"platform":{"architecture":"arm64","os":"linux","variant":"v8"} }]}
            """);
        var repository = client.Repository(ImageReference.Parse(registry.Ref("multi")), push: true);
        var listDigest = await repository.PutManifestAsync("latest", MediaTypes.DockerManifestList, list);

        var arm64 = Assert.Single(await _target.Store.PullAsync(registry.Ref("multi"), new PullOptions { Platform = "linux/arm64" }));
        Assert.Equal(arm.Config, arm64.Id);
        Assert.Equal(Digest.Parse(arm.Manifest.Digest), arm64.ManifestDigest);
        Assert.Equal([$"{registry.Domain}/multi@{listDigest}"], (await _target.Store.InspectAsync(registry.Ref("multi"))).RepoDigests);
        var amd64 = Assert.Single(await _target.Store.PullAsync(registry.Ref("multi")));
        Assert.Equal(amd.Config, amd64.Id);
        Assert.Equal(amd.Config, (await _target.Store.ResolveAsync(registry.Ref("multi"))).Id);

        var none = await Assert.ThrowsAsync<ImageException>(() => _target.Store.PullAsync(registry.Ref("multi"), new PullOptions { Platform = "linux/s390x" }));
        Assert.Equal((ImageErrorKind.NotFound, "no matching manifest for linux/s390x in the manifest list entries"), (none.Kind, none.Message));
    }

    [Fact]
    public async Task BasicAuthPushesAndPullsWithTheRightPasswordAndAWrongOneStoresNothing()
    {
        await using var registry = await LocalRegistry.StartAsync(basic: true);
        var name = registry.Ref("private/app:1");
        var imported = await _source.ImportAsync(TestTar.Rootfs(), name);
        var anonymous = await Assert.ThrowsAsync<RegistryException>(() => _source.Store.PushAsync(name));
        Assert.Equal((401, "UNAUTHORIZED"), (anonymous.Status, anonymous.Code));
        await _source.Store.PushAsync(name, new PushOptions { Credentials = LocalRegistry.Right });

        var wrong = await Assert.ThrowsAsync<RegistryException>(() =>
            _target.Store.PullAsync(name, new PullOptions { Credentials = new RegistryCredentials(LocalRegistry.User, "nope") }));
        Assert.Equal((401, "UNAUTHORIZED"), (wrong.Status, wrong.Code));
        await _target.AssertEmptyAsync();

        var pulled = Assert.Single(await _target.Store.PullAsync(name, new PullOptions { Credentials = LocalRegistry.Right }));
        Assert.Equal(imported.Id, pulled.Id);
    }

    [Fact]
    public async Task TokenAuthFetchesScopedTokensWithCredentialsAndRefusesAWrongPassword()
    {
        await using var registry = await LocalRegistry.StartAsync(token: true);
        var name = registry.Ref("tokens/app:1");
        var imported = await _source.ImportAsync(TestTar.Rootfs(), name);
        await _source.Store.PushAsync(name, new PushOptions { Credentials = LocalRegistry.Right });

        var wrong = await Assert.ThrowsAsync<RegistryException>(() =>
            _target.Store.PullAsync(name, new PullOptions { Credentials = new RegistryCredentials(LocalRegistry.User, "nope") }));
        Assert.Equal(401, wrong.Status);
        var anonymous = await Assert.ThrowsAsync<RegistryException>(() => _target.Store.PullAsync(name));
        Assert.Equal(401, anonymous.Status);
        await _target.AssertEmptyAsync();

        var pulled = Assert.Single(await _target.Store.PullAsync(name, new PullOptions { Credentials = LocalRegistry.Right }));
        Assert.Equal(imported.Id, pulled.Id);
    }

    [Fact]
    public async Task ABlobThatDoesNotMatchItsDigestFailsThePullAndLeavesNothing()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var name = registry.Ref("corrupt:1");
        var imported = await _source.ImportAsync(TestTar.Rootfs(), name);
        await _source.Store.PushAsync(name);
        await registry.CorruptBlobAsync(imported.Layers[0].Blob);

        var error = await Assert.ThrowsAsync<ImageException>(() => _target.Store.PullAsync(name));

        Assert.Equal(ImageErrorKind.InvalidArgument, error.Kind);
        Assert.Contains($"filesystem layer verification failed for digest {imported.Layers[0].Blob}", error.Message);
        await _target.AssertEmptyAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AHostileLayerOrAWrongDiffIdFailsThePullAfterTheUnpackAndLeavesNothing(bool hostile)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var first = TestTar.Rootfs().ToArray();
        var second = new TestTar().File("fine", "1").File(hostile ? "../escape" : "other", "2").ToArray();
        var claimed = hostile ? Digest.Sha256(second) : Digest.Sha256(first);
        await registry.PushHandmadeAsync(client, "bad", "1", "amd64", [(first, Digest.Sha256(first)), (second, claimed)]);

        var error = await Assert.ThrowsAsync<ImageException>(() => _target.Store.PullAsync(registry.Ref("bad:1")));

        Assert.Equal(ImageErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(hostile ? "invalid layer entry \"../escape\"" : "invalid diffID for layer 1", error.Message);
        await _target.AssertEmptyAsync();
    }

    [Fact]
    public async Task AnInterruptedPullResumesItsIngestAndTheNextPullLeavesExactlyOneImage()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var big = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(big); // incompressible: the gzip blob stays large
        using var client = new RegistryClient();
        var image = await registry.PushHandmadeAsync(client, "big", "1", "amd64",
            TestTar.Rootfs().ToArray(), new TestTar().File("data/big", big).ToArray());
        using var cancel = new CancellationTokenSource();
        var progress = new Recorder<PullProgress>(p =>
        {
            if (p is { Status: "Downloading", Current: > 0 } && p.Current < p.Total) cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _target.Store.PullAsync(registry.Ref("big:1"), null, progress, cancel.Token));

        Assert.Empty(await _target.Index.ListAsync());
        Assert.Empty(await _target.SnapshotsAsync());
        // The big layer's ingest kept what it had; the small one (downloading in parallel) may or may not have begun.
        var ingests = await _target.Content.ListIngestsAsync();
        Assert.Contains(ingests, i => i.Offset > 0);
        Assert.All(ingests, i => Assert.StartsWith("pull-sha256:", i.Reference));

        var pulled = Assert.Single(await _target.Store.PullAsync(registry.Ref("big:1")));
        Assert.Equal(image.Config, pulled.Id);
        Assert.Equal(image.Config, Assert.Single(await _target.Index.ListAsync()).Id);
        Assert.Empty(await _target.Content.ListIngestsAsync());
        Assert.Equal(2, (await _target.SnapshotsAsync()).Count);
    }

    [Fact]
    public async Task ManyLayersDownloadThreeAtATimeAndAPresentLayerAlreadyExists()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var tars = Enumerable.Range(0, 5).Select(i => new TestTar().File($"file{i}", $"layer {i}").ToArray()).ToArray();
        await registry.PushHandmadeAsync(client, "layers", "five", "amd64", tars);
        await registry.PushHandmadeAsync(client, "layers", "six", "amd64", [.. tars, new TestTar().File("six", "6").ToArray()]);

        var first = new Recorder<PullProgress>();
        var five = Assert.Single(await _target.Store.PullAsync(registry.Ref("layers:five"), null, first));
        Assert.Equal(5, five.Layers.Count);
        var waiting = Lines(first).Where(l => l.EndsWith(": Waiting", StringComparison.Ordinal)).ToList();
        Assert.Equal([five.Layers[3].Blob.Encoded[..12] + ": Waiting", five.Layers[4].Blob.Encoded[..12] + ": Waiting"], waiting);

        var second = new Recorder<PullProgress>();
        var six = Assert.Single(await _target.Store.PullAsync(registry.Ref("layers:six"), null, second));
        var lines = Lines(second);
        Assert.Equal(5, lines.Count(l => l.EndsWith(": Already exists", StringComparison.Ordinal)));
        Assert.Contains(six.Layers[5].Blob.Encoded[..12] + ": Pull complete", lines);
        Assert.Equal(six.Layers.Take(5).Select(l => l.ChainId), five.Layers.Select(l => l.ChainId));
    }

    [Fact]
    public async Task PushMountsALayerFromAnotherRepositoryOfTheSameRegistry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await _source.ImportAsync(TestTar.Rootfs(), registry.Ref("first/app:1"));
        await _source.Store.PushAsync(registry.Ref("first/app:1"));
        await _source.Store.TagAsync(registry.Ref("first/app:1"), registry.Ref("second/app:1"));

        var progress = new Recorder<PushProgress>();
        var pushed = Assert.Single(await _source.Store.PushAsync(registry.Ref("second/app:1"), null, progress));

        var layer = (await _source.Store.ResolveAsync(registry.Ref("second/app:1"))).Layers[0].DiffId.Encoded[..12];
        Assert.Contains($"{layer}: Mounted from first/app", Lines(progress));
        Assert.DoesNotContain(Lines(progress), l => l.Contains("Pushing", StringComparison.Ordinal));
        var again = new Recorder<PushProgress>();
        await _source.Store.PushAsync(registry.Ref("second/app:1"), null, again);
        Assert.Contains($"{layer}: Layer already exists", Lines(again));
        Assert.Equal(pushed.Digest, (await _target.Store.PullAsync(registry.Ref("second/app:1")))[0].ManifestDigest);
    }

    [Fact]
    public async Task AllTagsPushesEveryLocalTagOfTheRepositoryAndPullsEveryRemoteOne()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var one = await _source.ImportAsync(TestTar.Rootfs(), registry.Ref("tags/app:one"));
        await _source.Store.TagAsync(registry.Ref("tags/app:one"), registry.Ref("tags/app:two"));
        await _source.ImportAsync(TestTar.Rootfs(), registry.Ref("tags/other:three"));

        var tagged = await Assert.ThrowsAsync<ImageException>(() => _source.Store.PushAsync(registry.Ref("tags/app:one"), new PushOptions { AllTags = true }));
        Assert.Equal("tag can't be used with --all-tags/-a", tagged.Message);
        var pushed = await _source.Store.PushAsync(registry.Ref("tags/app"), new PushOptions { AllTags = true });
        Assert.Equal(["one", "two"], pushed.Select(p => p.Tag));
        var missing = await Assert.ThrowsAsync<ImageException>(() => _source.Store.PushAsync(registry.Ref("tags/none"), new PushOptions { AllTags = true }));
        Assert.Equal(ImageErrorKind.NotFound, missing.Kind);

        var progress = new Recorder<PullProgress>();
        var pulled = await _target.Store.PullAsync(registry.Ref("tags/app"), new PullOptions { AllTags = true }, progress);
        Assert.Equal([one.Id, one.Id], pulled.Select(p => p.Id));
        Assert.Equal([registry.Ref("tags/app:one"), registry.Ref("tags/app:two")], (await _target.Store.InspectAsync(registry.Ref("tags/app:one"))).RepoTags.Order());
        var lines = Lines(progress);
        Assert.Equal([$"Status: Downloaded newer image for {registry.Domain}/tags/app"], lines.Where(l => l.StartsWith("Status: ", StringComparison.Ordinal)));
        Assert.Contains("two: Pulling from tags/app", lines);
    }
}
