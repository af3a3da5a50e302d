namespace Berth.Images.Tests;

/// <summary>A hostile or corrupt root filesystem is refused and leaves nothing: no blob, ingest, snapshot, image or tag.</summary>
public sealed class HostileImportTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    public static TheoryData<string, TestTar> HostileTars => new()
    {
        { "dot-dot", new TestTar().File("etc/hostname", "x").File("../../escape", "x") },
        { "dot-dot-inside", new TestTar().File("a/../../b", "x") },
        { "absolute", new TestTar().File("/etc/passwd", "x") },
        { "hardlink-absolute", new TestTar().HardLink("passwd", "/etc/passwd") },
        { "hardlink-dot-dot", new TestTar().File("f", "x").HardLink("passwd", "../etc/passwd") },
    };

    [Theory]
    [MemberData(nameof(HostileTars))]
    public async Task AHostileTarIsRefusedAndLeavesNothing(string name, TestTar tar)
    {
        var error = await Assert.ThrowsAsync<ImageException>(() => _fixture.ImportAsync(tar, "evil:" + name));
        Assert.Equal(ImageErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith("invalid layer entry", error.Message);
        await _fixture.AssertEmptyAsync();
    }

    [Fact]
    public async Task ACorruptGzipIsRefusedAndLeavesNothing()
    {
        var gzip = TestTar.Gzip(TestTar.Rootfs().ToArray());
        for (var i = 20; i < gzip.Length - 8; i++) gzip[i] ^= 0x5a;
        var error = await Assert.ThrowsAsync<ImageException>(() => _fixture.Store.ImportAsync(new MemoryStream(gzip), new ImportOptions { Reference = "bad" }));
        Assert.Equal(ImageErrorKind.InvalidArgument, error.Kind);
        await _fixture.AssertEmptyAsync();
    }

    [Fact]
    public async Task BytesThatAreNotATarAreRefused()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        await Assert.ThrowsAsync<ImageException>(() => _fixture.Store.ImportAsync(new MemoryStream(garbage), new ImportOptions()));
        await _fixture.AssertEmptyAsync();
    }

    [Fact]
    public async Task AFailedImportKeepsTheLayersOfExistingImages()
    {
        var good = await _fixture.ImportAsync(TestTar.Rootfs(), "good");
        var snapshots = await _fixture.SnapshotsAsync();
        var blobs = await _fixture.BlobsAsync();

        await Assert.ThrowsAsync<ImageException>(() => _fixture.ImportAsync(new TestTar().File("/abs", "x"), "good"));

        Assert.Equal(snapshots, await _fixture.SnapshotsAsync());
        Assert.Equal(blobs.Select(b => b.ToString()).Order(), (await _fixture.BlobsAsync()).Select(b => b.ToString()).Order());
        Assert.Equal(good.Id, (await _fixture.Store.ResolveAsync("good")).Id);
    }

    [Fact]
    public async Task ASymlinkToAnAbsolutePathStaysInsideTheSnapshot()
    {
        // Absolute symlink targets are normal in root filesystems; writing through one lands inside the snapshot.
        var image = await _fixture.ImportAsync(new TestTar().Symlink("escape", "/").File("escape/tmp/inside", "x"), "ok");
        var root = (await _fixture.Store.PrepareContainerRootAsync(image, "c")).Single().Source;
        Assert.Equal("x", File.ReadAllText(Path.Combine(root, "tmp/inside")));
    }

    [Fact]
    public async Task ARelativeSymlinkClimbingAboveTheRootIsKeptAndResolvesInsideIt()
    {
        // As in a container, ".." at the root stays at the root: the link is kept verbatim and leads to the snapshot's /etc.
        var image = await _fixture.ImportAsync(new TestTar().Dir("a/").Dir("etc/").Symlink("a/up", "../../../../etc").File("a/up/inside", "x"), "climb");
        var root = (await _fixture.Store.PrepareContainerRootAsync(image, "c")).Single().Source;
        Assert.Equal("../../../../etc", new FileInfo(Path.Combine(root, "a/up")).LinkTarget);
        Assert.Equal("x", File.ReadAllText(Path.Combine(root, "etc/inside")));
    }
}
