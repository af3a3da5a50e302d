using Berth.Content;
using Berth.Oci.Image;

namespace Berth.Conformance.Content;

/// <summary>Ingest lifecycle: one writer per ref, status, abort, and resuming after a writer went away.</summary>
public abstract partial class ContentStoreConformance
{
    private static readonly byte[] Layer = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
    private static readonly Digest LayerDigest = Digest.Sha256(Layer);

    [Fact]
    public async Task ASecondWriterOnTheSameRefIsLockedOut()
    {
        await using (var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length))
        {
            var error = await Assert.ThrowsAsync<IngestLockedException>(() => Store.OpenWriterAsync("layer", LayerDigest, Layer.Length));
            Assert.Equal("layer", error.Reference);
            await using var other = await Store.OpenWriterAsync("another-ref");
        }
        await using var again = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        Assert.Equal("layer", again.Reference);
    }

    [Fact]
    public async Task StatusReportsProgressAndExpectations()
    {
        await using var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        await writer.WriteAsync(Layer.AsMemory(0, 1234));

        foreach (var status in new[] { writer.Status, await Store.StatusAsync("layer") })
        {
            Assert.Equal("layer", status.Reference);
            Assert.Equal(1234, status.Offset);
            Assert.Equal(Layer.Length, status.ExpectedSize);
            Assert.Equal(LayerDigest, status.Expected);
            Assert.True(status.UpdatedAt >= status.StartedAt);
        }
        Assert.Equal(["layer"], (await Store.ListIngestsAsync()).Select(s => s.Reference));
    }

    [Fact]
    public async Task AnAbandonedIngestIsInvisibleAndResumesAtItsOffset()
    {
        await using (var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length))
            await writer.WriteAsync(Layer.AsMemory(0, 4000));

        var store = Reopen();
        Assert.False(await store.ExistsAsync(LayerDigest));
        Assert.Empty(await store.WalkAsync().ToListAsync());
        Assert.Equal(4000, (await store.StatusAsync("layer")).Offset);

        await using var resumed = await store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        Assert.Equal(4000, resumed.Status.Offset);
        await resumed.WriteAsync(Layer.AsMemory(4000));
        var info = await resumed.CommitAsync();

        Assert.Equal(LayerDigest, info.Digest);
        Assert.Equal(Layer, await ReadAsync(store, LayerDigest));
        await Assert.ThrowsAsync<IngestNotFoundException>(() => store.StatusAsync("layer"));
    }

    [Fact]
    public async Task ReopeningARefForOtherContentStartsOver()
    {
        await using (var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length))
            await writer.WriteAsync(Layer.AsMemory(0, 4000));

        var other = Bytes("different blob, same ref");
        await using var restarted = await Store.OpenWriterAsync("layer", Digest.Sha256(other), other.Length);
        Assert.Equal(0, restarted.Status.Offset);
        await restarted.WriteAsync(other);
        Assert.Equal(Digest.Sha256(other), (await restarted.CommitAsync()).Digest);
    }

    [Fact]
    public async Task AFailedCommitDiscardsTheIngest()
    {
        await using (var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length))
        {
            await writer.WriteAsync(Layer.AsMemory(0, 100));
            await Assert.ThrowsAsync<SizeMismatchException>(() => writer.CommitAsync());
        }
        await using var fresh = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        Assert.Equal(0, fresh.Status.Offset);
    }

    [Fact]
    public async Task AbortDiscardsTheIngestButNotWhileAWriterHoldsIt()
    {
        await using (var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length))
        {
            await writer.WriteAsync(Layer.AsMemory(0, 100));
            await Assert.ThrowsAsync<IngestLockedException>(() => Store.AbortAsync("layer"));
        }
        await Store.AbortAsync("layer");

        await Assert.ThrowsAsync<IngestNotFoundException>(() => Store.StatusAsync("layer"));
        await Assert.ThrowsAsync<IngestNotFoundException>(() => Store.AbortAsync("layer"));
        Assert.Empty(await Store.ListIngestsAsync());
        Assert.False(await Store.ExistsAsync(LayerDigest));
        await using var fresh = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length);
        Assert.Equal(0, fresh.Status.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("/abs")]
    [InlineData("..\\up")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("nul\0byte")]
    [InlineData("new\nline")]
    public async Task RefsThatCouldNameAPathAreRefused(string reference)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenWriterAsync(reference));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.StatusAsync(reference));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AbortAsync(reference));
        Assert.Empty(await Store.ListIngestsAsync());
    }

    [Fact]
    public async Task WriteBlobResumesASeekableSource()
    {
        await using (var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length))
            await writer.WriteAsync(Layer.AsMemory(0, 3000));

        var source = new MemoryStream(Layer);
        var info = await Store.WriteBlobAsync("layer", source, LayerDigest, Layer.Length);
        Assert.Equal(LayerDigest, info.Digest);
        Assert.Equal(Layer, await ReadAsync(Store, LayerDigest));
    }

    [Fact]
    public async Task WriteBlobResumesAForwardOnlySourceBySkipping()
    {
        await using (var writer = await Store.OpenWriterAsync("layer", LayerDigest, Layer.Length))
            await writer.WriteAsync(Layer.AsMemory(0, 3000));

        var info = await Store.WriteBlobAsync("layer", new ForwardOnlyStream(Layer), LayerDigest, Layer.Length);
        Assert.Equal(Layer, await ReadAsync(Store, info.Digest));
    }

    [Fact]
    public async Task WriteBlobOfExistingContentReadsNothing()
    {
        await PutAsync(Store, "first", Layer);
        var source = new ForwardOnlyStream(Layer);
        var info = await Store.WriteBlobAsync("second", source, LayerDigest, Layer.Length);
        Assert.Equal(LayerDigest, info.Digest);
        Assert.Equal(0, source.BytesRead);
    }

    [Fact]
    public async Task ReadAllBytesReturnsTheBlob()
    {
        await PutAsync(Store, "layer", Layer);
        Assert.Equal(Layer, await Store.ReadAllBytesAsync(LayerDigest));
    }

    /// <summary>A network body: no Seek, no Length.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, Math.Min(count, 1000));
            BytesRead += read;
            return read;
        }
    }
}
