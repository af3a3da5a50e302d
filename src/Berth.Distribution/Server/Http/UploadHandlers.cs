using Berth.Distribution.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Server.Http;

/// <summary><c>/v2/&lt;name&gt;/blobs/uploads/[&lt;uuid&gt;]</c>: start (monolithic, mount or session), chunks, status, finish, cancel.</summary>
public sealed class UploadHandlers(UploadStore uploads, BlobStore blobs, IRegistryAuthorizer authorizer, ILogger<UploadHandlers> logger)
{
    public async Task StartAsync(RegistryRequest r)
    {
        if (r.Query("mount") is { Length: > 0 } mount && r.Query("from") is { Length: > 0 } from && await TryMountAsync(r, mount, from))
            return;
        var uuid = await uploads.StartAsync(r.Name, r.Aborted);
        if (r.Query("digest") is { } digestText)
        {
            var digest = Grammar.RequireDigest(digestText);
            try
            {
                await uploads.FinishAsync(r.Name, uuid, digest, Chunk(r), r.Aborted);
            }
            catch
            {
                await uploads.DiscardAsync(r.Name, uuid);
                throw;
            }
            Created(r, digest.ToString());
            return;
        }
        r.Response.StatusCode = StatusCodes.Status202Accepted;
        SessionHeaders(r, uuid, 0);
    }

    public async Task StatusAsync(RegistryRequest r)
    {
        var size = await uploads.StatusAsync(r.Name, r.Argument, r.Aborted);
        r.Response.StatusCode = StatusCodes.Status204NoContent;
        SessionHeaders(r, r.Argument, size);
    }

    public async Task AppendAsync(RegistryRequest r)
    {
        var size = await uploads.AppendAsync(r.Name, r.Argument, Chunk(r), r.Aborted);
        r.Response.StatusCode = StatusCodes.Status202Accepted;
        SessionHeaders(r, r.Argument, size);
    }

    public async Task FinishAsync(RegistryRequest r)
    {
        var digest = Grammar.RequireDigest(r.Query("digest"));
        var lastChunk = r.HasBody || r.Request.Headers.ContentRange.Count > 0 ? Chunk(r) : null;
        await uploads.FinishAsync(r.Name, r.Argument, digest, lastChunk, r.Aborted);
        Created(r, digest.ToString());
    }

    public async Task CancelAsync(RegistryRequest r)
    {
        await uploads.CancelAsync(r.Name, r.Argument, r.Aborted);
        r.Response.StatusCode = StatusCodes.Status204NoContent;
        r.Response.ContentLength = 0;
    }

    /// <summary>Links the blob from <paramref name="from"/> when it is there and the client may pull it; else the caller starts a session.</summary>
    private async Task<bool> TryMountAsync(RegistryRequest r, string mount, string from)
    {
        var digest = Grammar.RequireDigest(mount);
        if (!Grammar.IsName(from)) return false;
        if (await authorizer.CheckAsync(r.Http, [Access.Repository(from, Access.Pull)]) is not null) return false;
        if (!await blobs.MountAsync(r.Name, from, digest, r.Aborted)) return false;
        Log.BlobMounted(logger, digest.ToString(), from, r.Name);
        Created(r, digest.ToString());
        return true;
    }

    private static UploadChunk Chunk(RegistryRequest r) =>
        new(r.Request.Body, ContentRange.Parse(r.Request.Headers.ContentRange), r.ContentLength);

    private static void Created(RegistryRequest r, string digest)
    {
        r.Response.StatusCode = StatusCodes.Status201Created;
        r.Response.Headers.Location = r.RepositoryPath($"blobs/{digest}");
        r.Response.Headers["Docker-Content-Digest"] = digest;
        r.Response.ContentLength = 0;
    }

    private static void SessionHeaders(RegistryRequest r, string uuid, long size)
    {
        r.Response.Headers.Location = r.RepositoryPath($"blobs/uploads/{uuid}");
        r.Response.Headers["Docker-Upload-UUID"] = uuid;
        r.Response.Headers.Range = ContentRange.Report(size);
        r.Response.ContentLength = 0;
    }
}
