using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Berth.Oci.Image;
using Berth.Snapshots.Layers;

namespace Berth.Images.Layers;

/// <summary>What reading a whole layer gives: the digest and length of its uncompressed tar.</summary>
public sealed record LayerScan(Digest DiffId, long DiffSize);

/// <summary>
/// Reads a layer (tar, gzip or zstd) to its end before anything is unpacked: computes its diff id and refuses the
/// entries Docker calls a breakout: a name that is absolute or holds <c>..</c>, a hard link whose target is absolute
/// or holds <c>..</c>. A symlink's target is kept as written, however many <c>..</c> it climbs (containerd keeps them
/// too): the unpack never follows it, and in the container it resolves inside the root. The uncompressed bytes can be
/// copied to a sink as they pass (to store them).
/// </summary>
internal static class LayerScanner
{
    private const int BufferSize = 128 * 1024;

    /// <exception cref="ImageException">InvalidArgument: the layer is hostile, or is not a valid (compressed) tar.</exception>
    public static async Task<LayerScan> ScanAsync(
        Stream layer, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? sink, CancellationToken cancellationToken)
    {
        try
        {
            await using var tar = await LayerCompression.OpenDecompressedAsync(layer, cancellationToken);
            await using var tee = new TeeStream(tar, sink);
            var reader = new LayerTarReader(tee);
            while (await reader.GetNextEntryAsync(cancellationToken) is { } entry) Check(entry);
            await tee.DrainAsync(cancellationToken); // the zero blocks and padding after the end marker are part of the diff
            return new LayerScan(tee.Digest(), tee.Count);
        }
        catch (Exception e) when (LayerFormatException.IsFormatError(e))
        {
            throw ImageException.Invalid($"layer is not a valid tar: {LayerFormatException.Describe(e)}", e);
        }
    }

    /// <summary>
    /// <see cref="ScanAsync"/>, handing the uncompressed tar to <paramref name="consume"/> (an unpack) as it is read:
    /// one read and one decompression for both, the scan and the consumer each on their own thread. The consumer may
    /// have written entries before the scan refuses the layer; it must write only where that can be undone.
    /// </summary>
    /// <exception cref="ImageException">the scan refused the layer; else the consumer's own failure.</exception>
    public static async Task<LayerScan> ScanWhileAsync(Stream layer, Func<Stream, CancellationToken, Task> consume, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false));
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var consumer = Task.Run(async () =>
        {
            await using var tar = pipe.Reader.AsStream(); // disposing completes the reader: later writes are dropped
            await consume(tar, abort.Token);
        }, CancellationToken.None);
        LayerScan scan;
        try
        {
            // the writes go nowhere once the consumer has stopped reading (the end-of-archive padding)
            scan = await ScanAsync(layer, async (bytes, token) => await pipe.Writer.WriteAsync(bytes, token), abort.Token);
            await pipe.Writer.CompleteAsync();
        }
        catch (Exception e)
        {
            await pipe.Writer.CompleteAsync(e);
            await abort.CancelAsync();
            try
            {
                await consumer;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // the scan's refusal is the error to report
            }
            throw;
        }
        await consumer;
        return scan;
    }

    /// <summary>The compression of a seekable layer blob, judged by its magic bytes; the stream is rewound.</summary>
    public static async Task<string> SniffMediaTypeAsync(Stream blob, CancellationToken cancellationToken)
    {
        var head = new byte[4];
        var count = await blob.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        blob.Position = 0;
        if (count >= 2 && head[0] == 0x1f && head[1] == 0x8b) return MediaTypes.DockerLayerGzip;
        if (count >= 4 && head is [0x28, 0xb5, 0x2f, 0xfd]) return MediaTypes.OciLayerZstd;
        return ImageMediaTypes.DockerLayer;
    }

    private static void Check(LayerTarEntry entry)
    {
        var name = entry.Name;
        if (name.StartsWith('/')) throw Hostile(name, "absolute path");
        if (name.Contains('\0') || Components(name).Contains("..")) throw Hostile(name, "'..' would leave the layer's root");
        if (entry.EntryType == TarEntryType.HardLink && (entry.LinkName.StartsWith('/') || Components(entry.LinkName).Contains("..")))
            throw Hostile(name, $"hard link to {entry.LinkName} points outside the layer");
    }

    private static string[] Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();

    private static ImageException Hostile(string name, string why) => ImageException.Invalid($"invalid layer entry \"{name}\": {why}");

    /// <summary>Reads through to the tar reader, hashing, counting and copying every byte to the sink.</summary>
    private sealed class TeeStream(Stream inner, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? sink) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        /// <summary>The bytes read so far.</summary>
        public long Count { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public Digest Digest() => Oci.Image.Digest.FromHash("sha256", _hash.GetHashAndReset());

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read == 0) return 0;
            _hash.AppendData(buffer.Span[..read]);
            Count += read;
            if (sink is not null) await sink(buffer[..read], cancellationToken);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // TarReader's async path reads asynchronously; a sync read here would be sync-over-async on the sink.
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                while (await ReadAsync(buffer.AsMemory(), cancellationToken) > 0) { }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
