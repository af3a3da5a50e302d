using Berth.Content;
using Berth.Content.FileSystem;
using Berth.Images.Index;
using Berth.Oci.Image;
using Berth.Snapshots;

namespace Berth.Images.Tests;

/// <summary>
/// An image store over a file content store, a native (copying, rootless) snapshotter and an index, all on a temp dir,
/// with the views the tests need to prove that nothing was left behind.
/// </summary>
public sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public StoreFixture(bool sqlite = false)
    {
        Content = new FileContentStore(_temp.Combine("content"));
        Snapshotter = new NativeSnapshotter(_temp.Combine("snapshots"));
        Index = sqlite ? new SqliteImageIndex(_temp.Combine("berth.db")) : new InMemoryImageIndex();
        Store = new ImageStore(Content, Snapshotter, Snapshotter, Index);
    }

    public FileContentStore Content { get; }
    public NativeSnapshotter Snapshotter { get; }
    public IImageIndex Index { get; }
    public ImageStore Store { get; }

    public string DatabasePath => _temp.Combine("berth.db");

    public Task<ImageRecord> ImportAsync(TestTar tar, string? reference = null, string? message = null, params string[] changes) =>
        Store.ImportAsync(tar.ToStream(), new ImportOptions { Reference = reference, Message = message, Changes = changes });

    public async Task<List<Digest>> BlobsAsync()
    {
        var blobs = new List<Digest>();
        await foreach (var info in Content.WalkAsync()) blobs.Add(info.Digest);
        return blobs;
    }

    public async Task<List<string>> SnapshotsAsync() => [.. (await Snapshotter.WalkAsync()).Select(s => s.Name).Order(StringComparer.Ordinal)];

    /// <summary>Nothing at all: no blob, no ingest, no snapshot, no image, no reference.</summary>
    public async Task AssertEmptyAsync()
    {
        Assert.Empty(await BlobsAsync());
        Assert.Empty(await Content.ListIngestsAsync());
        Assert.Empty(await SnapshotsAsync());
        Assert.Empty(await Index.ListAsync());
        Assert.Empty(await Index.ReferencesAsync());
    }

    public void Dispose()
    {
        Snapshotter.DrainRemovalsAsync().Wait();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
