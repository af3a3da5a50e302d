using System.Security.Cryptography;
using System.Text;
using Berth.Content.FileSystem;
using Berth.Oci.Image;

namespace Berth.Content.Tests;

/// <summary>
/// A process that dies mid-ingest leaves files as they were when the kernel closed its descriptors. Each test builds
/// such a state, opens a new store on the root (the restarted daemon), and checks that no partial blob is visible and
/// the ingest either resumes from what is really on disk or starts over.
/// </summary>
public sealed class FileContentStoreCrashTests : IDisposable
{
    private static readonly byte[] Layer = Enumerable.Range(0, 20_000).Select(i => (byte)(i % 253)).ToArray();
    private static readonly Digest LayerDigest = Digest.Sha256(Layer);

    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private string IngestDir(string reference) =>
        Path.Combine(_root.Path, "ingest", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference))));

    private string DataFile(string reference) => Path.Combine(IngestDir(reference), "data");

    private async Task WritePartAsync(string reference, int count)
    {
        await using var writer = await new FileContentStore(_root.Path).OpenWriterAsync(reference, LayerDigest, Layer.Length);
        await writer.WriteAsync(Layer.AsMemory(0, count));
    }

    private static async Task<ContentInfo> FinishAsync(FileContentStore store, string reference)
    {
        await using var writer = await store.OpenWriterAsync(reference, LayerDigest, Layer.Length);
        await writer.WriteAsync(Layer.AsMemory((int)writer.Status.Offset));
        return await writer.CommitAsync();
    }

    [Fact]
    public async Task ALostTailResumesFromWhatIsReallyOnDisk()
    {
        await WritePartAsync("layer", 12_000);
        using (var data = new FileStream(DataFile("layer"), FileMode.Open)) data.SetLength(7_000); // the page cache never made it

        var store = new FileContentStore(_root.Path);
        Assert.False(await store.ExistsAsync(LayerDigest));
        Assert.Equal(7_000, (await store.StatusAsync("layer")).Offset);
        Assert.Equal(LayerDigest, (await FinishAsync(store, "layer")).Digest);
        Assert.Equal(Layer, await store.ReadAllBytesAsync(LayerDigest));
    }

    [Fact]
    public async Task BytesCorruptedOnDiskFailTheCommitAndAreDiscarded()
    {
        await WritePartAsync("layer", 12_000);
        using (var data = new FileStream(DataFile("layer"), FileMode.Open))
        {
            data.Position = 100;
            data.WriteByte(0xFF);
        }

        var store = new FileContentStore(_root.Path);
        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => FinishAsync(store, "layer"));
        Assert.Equal(LayerDigest, error.Expected);
        Assert.False(await store.ExistsAsync(LayerDigest));
        Assert.False(Directory.Exists(IngestDir("layer")));
    }

    [Fact]
    public async Task ACrashBetweenFsyncAndRenameLeavesNothingVisibleAndCommitsOnResume()
    {
        await WritePartAsync("layer", Layer.Length);

        var store = new FileContentStore(_root.Path);
        Assert.False(await store.ExistsAsync(LayerDigest));
        Assert.Equal(Layer.Length, (await store.StatusAsync("layer")).Offset);
        await using var writer = await store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        Assert.Equal(LayerDigest, (await writer.CommitAsync()).Digest);
        Assert.Equal(Layer, await store.ReadAllBytesAsync(LayerDigest));
    }

    [Fact]
    public async Task ACrashAfterRenameBeforeCleanupLeavesHarmlessDebris()
    {
        var store = new FileContentStore(_root.Path);
        await store.WriteBlobAsync("layer", new MemoryStream(Layer), LayerDigest, Layer.Length);
        Directory.CreateDirectory(IngestDir("layer"));
        await File.WriteAllTextAsync(Path.Combine(IngestDir("layer"), "ref"), "layer");
        await File.WriteAllTextAsync(Path.Combine(IngestDir("layer"), "startedat"), DateTimeOffset.UtcNow.ToString("O"));

        var restarted = new FileContentStore(_root.Path);
        Assert.Equal(0, Assert.Single(await restarted.ListIngestsAsync()).Offset);
        await Assert.ThrowsAsync<ContentAlreadyExistsException>(() => restarted.OpenWriterAsync("layer", LayerDigest, Layer.Length));
        await restarted.AbortAsync("layer");
        Assert.Empty(await restarted.ListIngestsAsync());
        Assert.Equal(Layer, await restarted.ReadAllBytesAsync(LayerDigest));
    }

    [Fact]
    public async Task AnIngestTornWhileBeingCreatedIsIgnoredThenStartedOver()
    {
        Directory.CreateDirectory(IngestDir("layer"));
        await File.WriteAllBytesAsync(DataFile("layer"), Layer.AsSpan(0, 500).ToArray()); // data, but the ref file never landed

        var store = new FileContentStore(_root.Path);
        Assert.Empty(await store.ListIngestsAsync());
        await Assert.ThrowsAsync<IngestNotFoundException>(() => store.StatusAsync("layer"));
        await using var writer = await store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        Assert.Equal(0, writer.Status.Offset);
    }

    [Fact]
    public async Task TornIngestsNoRefCanReachAreSweptButLiveOnesKept()
    {
        var store = new FileContentStore(_root.Path);
        Directory.CreateDirectory(IngestDir("torn"));
        await File.WriteAllBytesAsync(DataFile("torn"), [1, 2, 3]);
        await WritePartAsync("abandoned", 100);
        await using var live = await store.OpenWriterAsync("live"); // its metadata is whole, and it is locked anyway

        Assert.Equal(1, await store.RemoveTornIngestsAsync());
        Assert.False(Directory.Exists(IngestDir("torn")));
        Assert.Equal(["abandoned", "live"], (await store.ListIngestsAsync()).Select(s => s.Reference).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UnreadableMetadataStartsTheIngestOver()
    {
        await WritePartAsync("layer", 5_000);
        await File.WriteAllTextAsync(Path.Combine(IngestDir("layer"), "expected"), "sha256:not-hex");

        var store = new FileContentStore(_root.Path);
        Assert.Empty(await store.ListIngestsAsync());
        Assert.Equal(LayerDigest, (await FinishAsync(store, "layer")).Digest);
    }

    [Fact]
    public async Task MoreBytesOnDiskThanExpectedStartsTheIngestOver()
    {
        await WritePartAsync("layer", 5_000);
        await File.WriteAllBytesAsync(DataFile("layer"), new byte[Layer.Length + 1]);

        var store = new FileContentStore(_root.Path);
        await using var writer = await store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        Assert.Equal(0, writer.Status.Offset);
        Assert.Equal(0, new FileInfo(DataFile("layer")).Length);
    }
}
