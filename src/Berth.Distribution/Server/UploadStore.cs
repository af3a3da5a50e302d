using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Distribution.Storage;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>
/// Blob uploads. Lifecycle of one upload: <see cref="StartAsync"/> → any number of <see cref="AppendAsync"/>
/// (in order) → <see cref="FinishAsync"/> (verify the digest, then publish by rename) or <see cref="CancelAsync"/>.
/// A chunk that fails half-way is rolled back, so the upload stays at its last good size; a failed digest
/// check discards the whole upload. The blob becomes visible only after verification.
/// </summary>
public sealed class UploadStore(IStorageDriver driver, BlobStore blobs)
{
    private const int BufferSize = 256 * 1024;
    private readonly UploadSessions _sessions = new();

    public async Task<string> StartAsync(string name, CancellationToken cancellationToken = default)
    {
        var uuid = Guid.NewGuid().ToString("D");
        var startedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await driver.PutContentAsync(RegistryPaths.UploadStartedAt(name, uuid), Encoding.UTF8.GetBytes(startedAt), cancellationToken);
        return uuid;
    }

    /// <summary>The number of bytes received so far; BLOB_UPLOAD_UNKNOWN when there is no such upload.</summary>
    public async Task<long> StatusAsync(string name, string uuid, CancellationToken cancellationToken = default)
    {
        await RequireUploadAsync(name, uuid, cancellationToken);
        return await SizeAsync(name, uuid, cancellationToken);
    }

    /// <summary>Appends one chunk; returns the new size. An out-of-order chunk is 416 with the current Range.</summary>
    public Task<long> AppendAsync(string name, string uuid, UploadChunk chunk, CancellationToken cancellationToken = default) =>
        WithSessionAsync(name, uuid, session => AppendLockedAsync(name, uuid, session, chunk, cancellationToken), cancellationToken);

    /// <summary>Appends the optional last chunk, verifies <paramref name="digest"/> and publishes the blob into the repository.</summary>
    public Task FinishAsync(string name, string uuid, Digest digest, UploadChunk? lastChunk, CancellationToken cancellationToken = default) =>
        WithSessionAsync(name, uuid, async session =>
        {
            var size = lastChunk is null
                ? await SizeAsync(name, uuid, cancellationToken)
                : await AppendLockedAsync(name, uuid, session, lastChunk, cancellationToken);
            var actual = await DigestOfAsync(name, uuid, session, size, digest.Algorithm, cancellationToken);
            if (actual != digest)
            {
                await DeleteUploadAsync(name, uuid, session, cancellationToken);
                throw new RegistryException(ErrorCode.DigestInvalid, $"content is {actual}, not {digest}");
            }
            await PublishAsync(name, uuid, digest, size, cancellationToken);
            await DeleteUploadAsync(name, uuid, session, cancellationToken);
            return size;
        }, cancellationToken);

    public Task CancelAsync(string name, string uuid, CancellationToken cancellationToken = default) =>
        WithSessionAsync(name, uuid, async session =>
        {
            await DeleteUploadAsync(name, uuid, session, cancellationToken);
            return 0L;
        }, cancellationToken);

    /// <summary>Cancels an upload that failed part-way, if it still exists (a digest mismatch has already dropped it).</summary>
    public async Task DiscardAsync(string name, string uuid)
    {
        try
        {
            await CancelAsync(name, uuid, CancellationToken.None);
        }
        catch (RegistryException e) when (e.Code == ErrorCode.BlobUploadUnknown)
        {
        }
    }

    /// <summary>Runs <paramref name="action"/> holding the upload's lock, after checking (under it) that the upload exists.</summary>
    private async Task<long> WithSessionAsync(string name, string uuid, Func<UploadSessions.Session, Task<long>> action, CancellationToken cancellationToken)
    {
        if (!Grammar.IsUploadId(uuid)) throw UploadUnknown(uuid);
        var session = await _sessions.AcquireAsync(uuid, cancellationToken);
        try
        {
            await RequireUploadAsync(name, uuid, cancellationToken);
            return await action(session);
        }
        finally
        {
            _sessions.Release(session);
        }
    }

    private async Task<long> AppendLockedAsync(string name, string uuid, UploadSessions.Session session, UploadChunk chunk, CancellationToken cancellationToken)
    {
        var size = await SizeAsync(name, uuid, cancellationToken);
        if (chunk.Range is { } range)
        {
            if (range.Start != size)
                throw new RegistryException(ErrorCode.BlobUploadInvalid.WithStatus(416), $"chunk starts at {range.Start}, upload is at {size}")
                    .WithHeader("Range", ContentRange.Report(size));
            if (chunk.ContentLength is { } declared && declared != range.Length)
                throw new RegistryException(ErrorCode.SizeInvalid, $"Content-Length {declared} does not match Content-Range {range.Start}-{range.End}");
        }
        var expected = chunk.Range?.Length ?? chunk.ContentLength;
        var hash = session.HashAt(size);
        var writer = await driver.CreateWriterAsync(RegistryPaths.UploadData(name, uuid), append: true, cancellationToken);
        await using (writer)
        {
            try
            {
                var written = await CopyAsync(chunk.Body, writer, hash, cancellationToken);
                if (expected is { } length && written != length)
                    throw new RegistryException(ErrorCode.SizeInvalid, $"received {written} bytes, expected {length}");
                await writer.CommitAsync(cancellationToken);
            }
            catch
            {
                session.ResetHash(); // it consumed bytes that the writer's dispose now rolls back
                throw;
            }
        }
        if (hash is not null) session.Advance(writer.Size);
        return writer.Size;
    }

    private static async Task<long> CopyAsync(Stream source, IStorageWriter writer, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (read == 0) return total;
                hash?.AppendData(buffer, 0, read);
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<Digest> DigestOfAsync(string name, string uuid, UploadSessions.Session session, long size, string algorithm, CancellationToken cancellationToken)
    {
        if (algorithm == "sha256" && session.HashAt(size) is { } running)
            return Digest.FromHash("sha256", running.GetCurrentHash());
        if (size == 0) return Digest.FromHash(algorithm, HashOfNothing(algorithm));
        await using var data = await driver.OpenReadAsync(RegistryPaths.UploadData(name, uuid), 0, cancellationToken);
        var hash = algorithm == "sha512" ? await SHA512.HashDataAsync(data, cancellationToken) : await SHA256.HashDataAsync(data, cancellationToken);
        return Digest.FromHash(algorithm, hash);
    }

    private static byte[] HashOfNothing(string algorithm) => algorithm == "sha512" ? SHA512.HashData([]) : SHA256.HashData([]);

    /// <summary>Moves the verified bytes to the blob path (rename) unless an identical blob is already there; then links.</summary>
    private async Task PublishAsync(string name, string uuid, Digest digest, long size, CancellationToken cancellationToken)
    {
        if (await blobs.SizeAsync(digest, cancellationToken) is null)
        {
            if (size == 0) await driver.PutContentAsync(RegistryPaths.BlobData(digest), ReadOnlyMemory<byte>.Empty, cancellationToken);
            else await driver.MoveAsync(RegistryPaths.UploadData(name, uuid), RegistryPaths.BlobData(digest), cancellationToken);
        }
        await blobs.LinkAsync(name, digest, cancellationToken);
    }

    private async Task DeleteUploadAsync(string name, string uuid, UploadSessions.Session session, CancellationToken cancellationToken)
    {
        _sessions.Remove(uuid, session);
        await Links.TryDeleteAsync(driver, RegistryPaths.UploadDirectory(name, uuid), cancellationToken);
    }

    private async Task RequireUploadAsync(string name, string uuid, CancellationToken cancellationToken)
    {
        if (!Grammar.IsUploadId(uuid) || await driver.StatAsync(RegistryPaths.UploadStartedAt(name, uuid), cancellationToken) is null)
            throw UploadUnknown(uuid);
    }

    private static RegistryException UploadUnknown(string uuid) => new(ErrorCode.BlobUploadUnknown, uuid.Length > 64 ? null : uuid);

    private async Task<long> SizeAsync(string name, string uuid, CancellationToken cancellationToken) =>
        (await driver.StatAsync(RegistryPaths.UploadData(name, uuid), cancellationToken))?.Size ?? 0;
}
