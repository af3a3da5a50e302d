using System.Buffers;
using Berth.Oci.Image;

namespace Berth.Content;

/// <summary>The common ways to fill and read a store, written once over the interfaces.</summary>
public static class ContentStoreExtensions
{
    internal const int BufferSize = 128 * 1024;

    /// <summary>
    /// Copies <paramref name="source"/> into the store under <paramref name="reference"/> and commits it. If an earlier
    /// attempt on the same ref left bytes, the copy resumes at their offset: a seekable source is seeked, any other
    /// has that many bytes skipped. Content that is already committed is not written again.
    /// </summary>
    public static async Task<ContentInfo> WriteBlobAsync(
        this IContentStore store, string reference, Stream source, Digest? expected = null, long? expectedSize = null,
        CancellationToken cancellationToken = default)
    {
        IContentWriter writer;
        try
        {
            writer = await store.OpenWriterAsync(reference, expected, expectedSize, cancellationToken);
        }
        catch (ContentAlreadyExistsException e)
        {
            return await store.InfoAsync(e.Digest, cancellationToken);
        }

        await using (writer)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                await SkipAsync(source, writer.Status.Offset, buffer, cancellationToken);
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                    await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return await writer.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The whole blob in memory: for manifests, indexes and configs, not layers.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(
        this IContentProvider store, Digest digest, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.OpenReadAsync(digest, cancellationToken);
        var bytes = new byte[stream.Length];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static async Task SkipAsync(Stream source, long count, byte[] buffer, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        if (source.CanSeek)
        {
            source.Seek(count, SeekOrigin.Begin);
            return;
        }
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0) throw new EndOfStreamException($"the source ended before the resume offset ({count} bytes short)");
            count -= read;
        }
    }
}
