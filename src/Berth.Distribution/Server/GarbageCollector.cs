using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Distribution.Storage;
using Berth.Oci.Image;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Server;

/// <summary>What a gc run found and (unless dry) removed.</summary>
public sealed record GcResult(int Manifests, int MarkedBlobs, IReadOnlyList<(Digest Digest, long Size)> SweptBlobs, int SweptUploads)
{
    public long FreedBytes => SweptBlobs.Sum(b => b.Size);
}

/// <summary>
/// Mark and sweep. Mark: every manifest revision of every repository, its config and its layers. Sweep: every
/// other blob, the repositories' links to them, and uploads older than a limit. Like the reference registry's gc,
/// run it while nothing is pushed (a blob uploaded before its manifest would look unreferenced).
/// </summary>
public sealed class GarbageCollector(IStorageDriver driver, Listings listings, ILogger<GarbageCollector> logger)
{
    public async Task<GcResult> RunAsync(bool dryRun, TimeSpan uploadMaxAge, CancellationToken cancellationToken = default)
    {
        var repositories = await listings.AllRepositoriesAsync(cancellationToken);
        var marked = new HashSet<Digest>();
        var manifests = 0;
        foreach (var name in repositories) manifests += await MarkAsync(name, marked, cancellationToken);

        var swept = new List<(Digest, long)>();
        foreach (var (digest, size) in await AllBlobsAsync(cancellationToken))
        {
            if (marked.Contains(digest)) continue;
            Log.GcBlob(logger, dryRun ? "would delete" : "deleting", digest.ToString(), size);
            swept.Add((digest, size));
            if (!dryRun) await Links.TryDeleteAsync(driver, RegistryPaths.BlobDirectory(digest), cancellationToken);
        }
        var sweptUploads = 0;
        var sweptDigests = swept.Select(s => s.Item1).ToHashSet();
        foreach (var name in repositories)
        {
            if (!dryRun) await UnlinkSweptAsync(name, sweptDigests, cancellationToken);
            sweptUploads += await SweepUploadsAsync(name, uploadMaxAge, dryRun, cancellationToken);
        }
        return new GcResult(manifests, marked.Count, swept, sweptUploads);
    }

    private async Task<int> MarkAsync(string name, HashSet<Digest> marked, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var digest in await LinkedDigestsAsync($"{RegistryPaths.Revisions(name)}", cancellationToken))
        {
            byte[] content;
            try
            {
                content = await driver.GetContentAsync(RegistryPaths.BlobData(digest), cancellationToken);
            }
            catch (PathNotFoundException)
            {
                continue;
            }
            count++;
            marked.Add(digest);
            ManifestDocument? document;
            try
            {
                document = JsonSerializer.Deserialize(content, DistributionJsonContext.Default.ManifestDocument);
            }
            catch (JsonException)
            {
                continue;
            }
            foreach (var descriptor in (document?.Layers ?? []).Append(document?.Config))
            {
                if (Digest.TryParse(descriptor?.Digest, out var referenced)) marked.Add(referenced);
            }
        }
        return count;
    }

    /// <summary>Digests under <c>&lt;directory&gt;/&lt;alg&gt;/&lt;hex&gt;/link</c> (revisions, layers).</summary>
    private async Task<List<Digest>> LinkedDigestsAsync(string directory, CancellationToken cancellationToken)
    {
        var digests = new List<Digest>();
        foreach (var algorithm in await Links.ListNamesAsync(driver, directory, cancellationToken))
        {
            foreach (var encoded in await Links.ListNamesAsync(driver, $"{directory}/{algorithm}", cancellationToken))
            {
                if (Digest.TryParse($"{algorithm}:{encoded}", out var digest)) digests.Add(digest);
            }
        }
        return digests;
    }

    private async Task<List<(Digest, long)>> AllBlobsAsync(CancellationToken cancellationToken)
    {
        var blobs = new List<(Digest, long)>();
        foreach (var algorithm in await Links.ListNamesAsync(driver, RegistryPaths.Blobs, cancellationToken))
        {
            foreach (var prefix in await Links.ListNamesAsync(driver, $"{RegistryPaths.Blobs}/{algorithm}", cancellationToken))
            {
                foreach (var encoded in await Links.ListNamesAsync(driver, $"{RegistryPaths.Blobs}/{algorithm}/{prefix}", cancellationToken))
                {
                    if (!Digest.TryParse($"{algorithm}:{encoded}", out var digest)) continue;
                    var info = await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken);
                    blobs.Add((digest, info?.Size ?? 0));
                }
            }
        }
        return blobs;
    }

    private async Task UnlinkSweptAsync(string name, HashSet<Digest> swept, CancellationToken cancellationToken)
    {
        foreach (var digest in await LinkedDigestsAsync($"{RegistryPaths.Repository(name)}/_layers", cancellationToken))
        {
            if (swept.Contains(digest))
                await Links.TryDeleteAsync(driver, StoragePath.Parent(RegistryPaths.LayerLink(name, digest)), cancellationToken);
        }
    }

    private async Task<int> SweepUploadsAsync(string name, TimeSpan maxAge, bool dryRun, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var uuid in await Links.ListNamesAsync(driver, RegistryPaths.Uploads(name), cancellationToken))
        {
            var startedAt = await StartedAtAsync(name, uuid, cancellationToken);
            if (startedAt is { } t && DateTimeOffset.UtcNow - t < maxAge) continue;
            Log.GcUpload(logger, dryRun ? "would delete" : "deleting", name, uuid, startedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "unknown");
            count++;
            if (!dryRun) await Links.TryDeleteAsync(driver, RegistryPaths.UploadDirectory(name, uuid), cancellationToken);
        }
        return count;
    }

    private async Task<DateTimeOffset?> StartedAtAsync(string name, string uuid, CancellationToken cancellationToken)
    {
        try
        {
            var text = Encoding.UTF8.GetString(await driver.GetContentAsync(RegistryPaths.UploadStartedAt(name, uuid), cancellationToken));
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;
        }
        catch (PathNotFoundException)
        {
            return null;
        }
    }
}
