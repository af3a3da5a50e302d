using System.Text;
using Berth.Content;
using Berth.Oci.Image;

namespace Berth.Conformance.Content;

/// <summary>
/// What every <see cref="IContentStore"/> must do; each implementation runs it through a subclass. The image store,
/// pulls that resume and garbage collection rely on exactly these behaviours.
/// </summary>
public abstract partial class ContentStoreConformance : IDisposable
{
    private IContentStore? _store;

    protected IContentStore Store => _store ??= CreateStore();

    protected abstract IContentStore CreateStore();

    /// <summary>The same store as a restarted component sees it (after its writers went away without committing).</summary>
    protected abstract IContentStore Reopen();

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static async Task<ContentInfo> PutAsync(IContentStore store, string reference, byte[] content, bool expect = true)
    {
        await using var writer = await store.OpenWriterAsync(
            reference, expect ? Digest.Sha256(content) : null, expect ? content.Length : null);
        await writer.WriteAsync(content);
        return await writer.CommitAsync();
    }

    protected static async Task<byte[]> ReadAsync(IContentStore store, Digest digest)
    {
        await using var stream = await store.OpenReadAsync(digest);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task CommittedContentReadsBackByItsDigest()
    {
        var content = Bytes("hello, content store");
        var info = await PutAsync(Store, "blob-1", content);

        Assert.Equal(Digest.Sha256(content), info.Digest);
        Assert.Equal(content.Length, info.Size);
        Assert.Equal(content, await ReadAsync(Store, info.Digest));
        Assert.True(await Store.ExistsAsync(info.Digest));
        var stored = await Store.InfoAsync(info.Digest);
        Assert.Equal(info.Digest, stored.Digest);
        Assert.Equal(content.Length, stored.Size);
    }

    [Fact]
    public async Task WritesInPiecesHashAsTheyGo()
    {
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        await using var writer = await Store.OpenWriterAsync("pieces", Digest.Sha256(content), content.Length);
        for (var at = 0; at < content.Length; at += 65_537)
            await writer.WriteAsync(content.AsMemory(at, Math.Min(65_537, content.Length - at)));
        Assert.Equal(content.Length, writer.Status.Offset);
        var info = await writer.CommitAsync();
        Assert.Equal(content, await ReadAsync(Store, info.Digest));
    }

    [Fact]
    public async Task WithoutExpectationsTheCommitNamesTheDigest()
    {
        var content = Bytes("unknown until the end");
        var info = await PutAsync(Store, "import", content, expect: false);
        Assert.Equal(Digest.Sha256(content), info.Digest);
    }

    [Fact]
    public async Task EmptyContentIsABlobOfSizeZero()
    {
        var info = await PutAsync(Store, "empty", []);
        Assert.Equal(Digest.Sha256([]), info.Digest);
        Assert.Equal(0, info.Size);
        Assert.Empty(await ReadAsync(Store, info.Digest));
    }

    [Fact]
    public async Task Sha512ExpectationsAreVerified()
    {
        var content = Bytes("sha512 content");
        var digest = Digest.FromHash("sha512", System.Security.Cryptography.SHA512.HashData(content));
        await using var writer = await Store.OpenWriterAsync("sha512", digest, content.Length);
        await writer.WriteAsync(content);
        var info = await writer.CommitAsync();
        Assert.Equal(digest, info.Digest);
        Assert.Equal(content, await ReadAsync(Store, digest));
    }

    [Fact]
    public async Task ReadersCanSeekForRangeReads()
    {
        var info = await PutAsync(Store, "range", Bytes("0123456789"));
        await using var stream = await Store.OpenReadAsync(info.Digest);
        Assert.True(stream.CanSeek);
        Assert.Equal(10, stream.Length);
        stream.Seek(4, SeekOrigin.Begin);
        var buffer = new byte[3];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal("456", Encoding.UTF8.GetString(buffer));
        Assert.False(stream.CanWrite);
    }

    [Fact]
    public async Task MissingContentRaisesNotFound()
    {
        var digest = Digest.Sha256(Bytes("never stored"));
        Assert.False(await Store.ExistsAsync(digest));
        Assert.Equal(digest, (await Assert.ThrowsAsync<ContentNotFoundException>(() => Store.InfoAsync(digest))).Digest);
        await Assert.ThrowsAsync<ContentNotFoundException>(() => Store.OpenReadAsync(digest));
        await Assert.ThrowsAsync<ContentNotFoundException>(() => Store.DeleteAsync(digest));
    }

    [Fact]
    public async Task AWrongDigestIsRefusedAndNeverVisible()
    {
        var content = Bytes("the real bytes");
        var claimed = Digest.Sha256(Bytes("what the manifest said"));
        await using var writer = await Store.OpenWriterAsync("wrong-digest", claimed, content.Length);
        await writer.WriteAsync(content);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => writer.CommitAsync());
        Assert.Equal(claimed, error.Expected);
        Assert.Equal(Digest.Sha256(content), error.Actual);
        Assert.False(await Store.ExistsAsync(claimed));
        Assert.False(await Store.ExistsAsync(Digest.Sha256(content)));
        await Assert.ThrowsAsync<IngestNotFoundException>(() => Store.StatusAsync("wrong-digest"));
    }

    [Fact]
    public async Task ATruncatedWriteFailsTheCommitWithBothSizes()
    {
        var content = Bytes("0123456789");
        await using var writer = await Store.OpenWriterAsync("truncated", Digest.Sha256(content), content.Length);
        await writer.WriteAsync(content.AsMemory(0, 6));

        var error = await Assert.ThrowsAsync<SizeMismatchException>(() => writer.CommitAsync());
        Assert.Equal(10, error.Expected);
        Assert.Equal(6, error.Actual);
        Assert.False(await Store.ExistsAsync(Digest.Sha256(content)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync(content).AsTask());
    }

    [Fact]
    public async Task BytesPastTheExpectedSizeAreRefusedBeforeTheyAreStored()
    {
        var content = Bytes("0123456789");
        await using var writer = await Store.OpenWriterAsync("too-long", Digest.Sha256(content), content.Length);
        await writer.WriteAsync(content.AsMemory(0, 8));

        var error = await Assert.ThrowsAsync<SizeMismatchException>(() => writer.WriteAsync(Bytes("89X")).AsTask());
        Assert.Equal(10, error.Expected);
        Assert.Equal(11, error.Actual);
        Assert.Equal(8, writer.Status.Offset);
        await writer.WriteAsync(content.AsMemory(8));
        Assert.Equal(Digest.Sha256(content), (await writer.CommitAsync()).Digest);
    }

    [Fact]
    public async Task CommittingContentThatExistsIsFine()
    {
        var content = Bytes("twice");
        var first = await PutAsync(Store, "first", content);
        var second = await PutAsync(Store, "second", content, expect: false);

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(content, await ReadAsync(Store, first.Digest));
        Assert.Empty(await Store.ListIngestsAsync());
    }

    [Fact]
    public async Task OpeningAWriterForContentThatExistsSaysSo()
    {
        var content = Bytes("already here");
        var info = await PutAsync(Store, "first", content);
        var error = await Assert.ThrowsAsync<ContentAlreadyExistsException>(() => Store.OpenWriterAsync("again", info.Digest, content.Length));
        Assert.Equal(info.Digest, error.Digest);
        Assert.Empty(await Store.ListIngestsAsync());
    }

    [Fact]
    public async Task WalkListsCommittedBlobsOnlyAndDeleteRemovesThem()
    {
        var a = await PutAsync(Store, "a", Bytes("a"));
        var b = await PutAsync(Store, "b", Bytes("bb"));
        await using var pending = await Store.OpenWriterAsync("pending");
        await pending.WriteAsync(Bytes("not yet"));

        var walked = await Store.WalkAsync().ToListAsync();
        Assert.Equal(new[] { a.Digest, b.Digest }.OrderBy(d => d.ToString(), StringComparer.Ordinal), walked.Select(i => i.Digest));
        Assert.Equal([1L, 2L], walked.OrderBy(i => i.Size).Select(i => i.Size));

        await Store.DeleteAsync(a.Digest);
        Assert.False(await Store.ExistsAsync(a.Digest));
        Assert.Equal([b.Digest], await Store.WalkAsync().Select(i => i.Digest).ToListAsync());
    }

    [Fact]
    public async Task AnOpenReaderOutlivesDelete()
    {
        var info = await PutAsync(Store, "doomed", Bytes("still readable"));
        await using var stream = await Store.OpenReadAsync(info.Digest);
        await Store.DeleteAsync(info.Digest);
        using var reader = new StreamReader(stream);
        Assert.Equal("still readable", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task DeletedContentCanBeWrittenAgain()
    {
        var content = Bytes("phoenix");
        var info = await PutAsync(Store, "one", content);
        await Store.DeleteAsync(info.Digest);
        await PutAsync(Store, "two", content);
        Assert.Equal(content, await ReadAsync(Store, info.Digest));
    }

    [Fact]
    public async Task ADefaultOrUnverifiableDigestIsRefused()
    {
        var unverifiable = Digest.Parse("md5:d41d8cd98f00b204e9800998ecf8427e");
        foreach (var digest in new[] { default, unverifiable })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.InfoAsync(digest));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(digest));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(digest));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(digest));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenWriterAsync("ref", digest));
        }
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenWriterAsync("ref", null, -1));
        Assert.Empty(await Store.ListIngestsAsync());
    }
}
