using System.Security.Cryptography;
using System.Text;
using Berth.Content.FileSystem;
using Berth.Oci.Image;

namespace Berth.Content.Tests;

/// <summary>What a <see cref="FileContentStore"/> leaves on disk, which other tools (and a restarted daemon) rely on.</summary>
public sealed class FileContentStoreLayoutTests : IDisposable
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("layer bytes");
    private static readonly Digest ContentDigest = Digest.Sha256(Content);

    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static string RefHash(string reference) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)));

    [Fact]
    public async Task ACommittedBlobIsAReadOnlyFileNamedByItsDigest()
    {
        var store = new FileContentStore(_root.Path);
        await store.WriteBlobAsync("layer", new MemoryStream(Content), ContentDigest, Content.Length);

        var blob = Path.Combine(_root.Path, "blobs", "sha256", ContentDigest.Encoded);
        Assert.Equal(Content, await File.ReadAllBytesAsync(blob));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(blob));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.Path, "ingest")));
    }

    [Fact]
    public async Task UntilCommitTheBytesLiveOnlyInTheIngestDirectory()
    {
        var store = new FileContentStore(_root.Path);
        await using var writer = await store.OpenWriterAsync("layer-sha256:abc", ContentDigest, Content.Length);
        await writer.WriteAsync(Content.AsMemory(0, 5));

        Assert.False(Directory.Exists(Path.Combine(_root.Path, "blobs")));
        var ingest = Path.Combine(_root.Path, "ingest", RefHash("layer-sha256:abc"));
        Assert.Equal("layer-sha256:abc", await File.ReadAllTextAsync(Path.Combine(ingest, "ref")));
        Assert.Equal(ContentDigest.ToString(), await File.ReadAllTextAsync(Path.Combine(ingest, "expected")));
        Assert.Equal(Content.Length.ToString(), await File.ReadAllTextAsync(Path.Combine(ingest, "total")));
        Assert.True(File.Exists(Path.Combine(ingest, "startedat")));
        Assert.Equal(Content.AsSpan(0, 5).ToArray(), await ReadSharedAsync(Path.Combine(ingest, "data")));
    }

    [Fact]
    public async Task WalkSkipsFilesThatAreNotBlobs()
    {
        var store = new FileContentStore(_root.Path);
        var info = await store.WriteBlobAsync("layer", new MemoryStream(Content));
        Directory.CreateDirectory(Path.Combine(_root.Path, "blobs", "md5"));
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "blobs", "md5", "d41d8cd98f00b204e9800998ecf8427e"), "x");
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "blobs", "sha256", "not-a-digest"), "x");
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "blobs", "sha256", ContentDigest.Encoded.ToUpperInvariant()), "x");

        Assert.Equal([info.Digest], await store.WalkAsync().Select(i => i.Digest).ToListAsync());
    }

    [Fact]
    public async Task AnEmptyRootIsAnEmptyStore()
    {
        var store = new FileContentStore(Path.Combine(_root.Path, "not", "created", "yet"));
        Assert.Empty(await store.WalkAsync().ToListAsync());
        Assert.Empty(await store.ListIngestsAsync());
        Assert.False(await store.ExistsAsync(ContentDigest));
    }

    [Fact]
    public async Task TwoStoresOnOneRootShareTheRefLock()
    {
        var first = new FileContentStore(_root.Path);
        var second = new FileContentStore(_root.Path);
        await using (await first.OpenWriterAsync("layer"))
            await Assert.ThrowsAsync<IngestLockedException>(() => second.OpenWriterAsync("layer"));
        await using var writer = await second.OpenWriterAsync("layer");
    }

    [Fact]
    public async Task DifferentRootsDoNotShareLocks()
    {
        using var other = new TempRoot();
        await using var a = await new FileContentStore(_root.Path).OpenWriterAsync("layer");
        await using var b = await new FileContentStore(other.Path).OpenWriterAsync("layer");
        Assert.Equal(a.Reference, b.Reference);
    }

    [Theory]
    [InlineData("sha256:../../../../etc/passwd")]
    [InlineData("../blobs/sha256:0000")]
    [InlineData("sha256/0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:abc")]
    [InlineData("sha256:")]
    [InlineData(":abc")]
    [InlineData("")]
    public void DigestStringsThatBreakTheGrammarNeverReachTheStore(string text)
    {
        // The store takes only a parsed Digest, so the only way in for a string is through the grammar.
        Assert.False(Digest.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Digest.Parse(text));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
