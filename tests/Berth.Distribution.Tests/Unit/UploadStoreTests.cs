using Berth.Distribution.Server;
using Berth.Distribution.Storage;
using Berth.Oci.Image;

namespace Berth.Distribution.Tests.Unit;

public sealed class UploadStoreTests
{
    private readonly InMemoryDriver _driver = new();
    private readonly BlobStore _blobs;
    private readonly UploadStore _uploads;

    public UploadStoreTests()
    {
        _blobs = new BlobStore(_driver);
        _uploads = new UploadStore(_driver, _blobs);
    }

    /// <summary>Yields some bytes, then fails like a dropped connection.</summary>
    private sealed class BrokenStream(int goodBytes) : Stream
    {
        private int _left = goodBytes;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left == 0) throw new IOException("connection reset");
            var n = Math.Min(count, _left);
            Array.Fill(buffer, (byte)'x', offset, n);
            _left -= n;
            return n;
        }
    }

    [Fact]
    public async Task AChunkThatBreaksHalfWayIsRolledBack()
    {
        var uuid = await _uploads.StartAsync("repo");
        await _uploads.AppendAsync("repo", uuid, new UploadChunk(new MemoryStream("abc"u8.ToArray()), null, 3));
        // More than one copy buffer (256 kB) arrives before the failure, so some of it was written and must be undone.
        await Assert.ThrowsAsync<IOException>(() => _uploads.AppendAsync("repo", uuid, new UploadChunk(new BrokenStream(600_000), null, 1_000_000)));
        Assert.Equal(3, await _uploads.StatusAsync("repo", uuid));

        await _uploads.FinishAsync("repo", uuid, Digest.Sha256("abcdef"u8), new UploadChunk(new MemoryStream("def"u8.ToArray()), null, 3));
        Assert.Equal(6, await _blobs.StatAsync("repo", Digest.Sha256("abcdef"u8)));
    }

    [Fact]
    public async Task ABrokenMonolithicUploadPublishesNothing()
    {
        var uuid = await _uploads.StartAsync("repo");
        var claimed = Digest.Sha256(new byte[1_000_000]);
        await Assert.ThrowsAsync<IOException>(() => _uploads.FinishAsync("repo", uuid, claimed, new UploadChunk(new BrokenStream(600_000), null, 1_000_000)));
        Assert.Null(await _blobs.SizeAsync(claimed));
        Assert.Null(await _driver.StatAsync(RegistryPaths.Blobs));
    }

    [Fact]
    public async Task FinishingRehashesWhenTheRunningHashIsUnavailable()
    {
        // A second store over the same storage has no running hash: as after a restart.
        var uuid = await _uploads.StartAsync("repo");
        await _uploads.AppendAsync("repo", uuid, new UploadChunk(new MemoryStream("persisted"u8.ToArray()), null, null));
        var restarted = new UploadStore(_driver, _blobs);
        await restarted.FinishAsync("repo", uuid, Digest.Sha256("persisted"u8), null);
        Assert.Equal(9, await _blobs.StatAsync("repo", Digest.Sha256("persisted"u8)));
    }

    [Fact]
    public async Task Sha512DigestsAreVerified()
    {
        var content = "sha512 content"u8.ToArray();
        var digest = Digest.FromHash("sha512", System.Security.Cryptography.SHA512.HashData(content));
        var uuid = await _uploads.StartAsync("repo");
        await _uploads.FinishAsync("repo", uuid, digest, new UploadChunk(new MemoryStream(content), null, content.Length));
        Assert.Equal(content.Length, await _blobs.StatAsync("repo", digest));
    }

    [Fact]
    public async Task ConcurrentChunksToOneUploadAreSerialised()
    {
        var uuid = await _uploads.StartAsync("repo");
        var chunks = Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            _uploads.AppendAsync("repo", uuid, new UploadChunk(new MemoryStream(new byte[1000]), null, 1000))));
        await Task.WhenAll(chunks);
        Assert.Equal(20_000, await _uploads.StatusAsync("repo", uuid));
        await _uploads.FinishAsync("repo", uuid, Digest.Sha256(new byte[20_000]), null);
    }
}
