using Berth.Distribution.Storage;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>One page of a sorted listing, and whether more follow (for the <c>Link</c> header).</summary>
public sealed record Page(IReadOnlyList<string> Items, bool HasMore);

/// <summary>Content discovery: repositories, tags and referrers. Reads only.</summary>
public sealed class Listings(IStorageDriver driver, ManifestStore manifests)
{
    /// <summary>The repository's tags after <paramref name="last"/>, at most <paramref name="limit"/>; NAME_UNKNOWN when it does not exist.</summary>
    public async Task<Page> TagsAsync(string name, int? limit, string? last, CancellationToken cancellationToken = default)
    {
        if (await driver.StatAsync(RegistryPaths.Repository(name), cancellationToken) is null)
            throw new RegistryException(ErrorCode.NameUnknown, name);
        var tags = await Links.ListNamesAsync(driver, RegistryPaths.Tags(name), cancellationToken);
        tags.Sort(StringComparer.Ordinal);
        return Paginate(tags, limit, last);
    }

    /// <summary>Every repository that holds a manifest, sorted, paginated like tags.</summary>
    public async Task<Page> RepositoriesAsync(int? limit, string? last, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        await CollectRepositoriesAsync(RegistryPaths.Repositories, "", names, anyContent: false, cancellationToken);
        names.Sort(StringComparer.Ordinal);
        return Paginate(names, limit, last);
    }

    /// <summary>Every repository directory, with manifests or only layers or uploads (for gc), in no particular order.</summary>
    public async Task<List<string>> AllRepositoriesAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        await CollectRepositoriesAsync(RegistryPaths.Repositories, "", names, anyContent: true, cancellationToken);
        return names;
    }

    /// <summary>Descriptors of the manifests whose subject is <paramref name="subject"/>, optionally of one artifact type.</summary>
    public async Task<List<Descriptor>> ReferrersAsync(string name, Digest subject, string? artifactType, CancellationToken cancellationToken = default)
    {
        var found = new List<Descriptor>();
        var root = RegistryPaths.Referrers(name, subject);
        foreach (var algorithm in await Links.ListNamesAsync(driver, root, cancellationToken))
        {
            foreach (var encoded in await Links.ListNamesAsync(driver, $"{root}/{algorithm}", cancellationToken))
            {
                if (!Digest.TryParse($"{algorithm}:{encoded}", out var digest)) continue;
                var content = await manifests.ReadAsync(name, digest, cancellationToken);
                if (content is null) continue;
                var descriptor = ReferrerDescriptor(digest, content);
                if (artifactType is null || descriptor.ArtifactType == artifactType) found.Add(descriptor);
            }
        }
        return found;
    }

    private static Descriptor ReferrerDescriptor(Digest digest, byte[] content)
    {
        var document = ManifestValidator.Parse(content, null);
        return new Descriptor
        {
            MediaType = document.MediaType!,
            Digest = digest.ToString(),
            Size = content.Length,
            ArtifactType = document.ArtifactType ?? (document.IsIndex ? null : document.Config?.MediaType),
            Annotations = document.Annotations,
        };
    }

    /// <summary>A directory is a repository when it holds <c>_manifests</c> (or, with <paramref name="anyContent"/>, any <c>_</c> child).</summary>
    private async Task CollectRepositoriesAsync(string directory, string prefix, List<string> names, bool anyContent, CancellationToken cancellationToken)
    {
        var isRepository = false;
        foreach (var child in await Links.ListNamesAsync(driver, directory, cancellationToken))
        {
            if (child.StartsWith('_'))
            {
                isRepository |= prefix.Length > 0 && (anyContent || child == "_manifests");
                continue;
            }
            var path = StoragePath.Combine(directory, child);
            if (await driver.StatAsync(path, cancellationToken) is { IsDirectory: true })
                await CollectRepositoriesAsync(path, prefix + child + "/", names, anyContent, cancellationToken);
        }
        if (isRepository) names.Add(prefix.TrimEnd('/'));
    }

    private static Page Paginate(List<string> sorted, int? limit, string? last)
    {
        var start = 0;
        if (!string.IsNullOrEmpty(last))
        {
            var index = sorted.BinarySearch(last, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }
        var remaining = sorted.Count - start;
        var take = limit is { } n ? Math.Min(n, remaining) : remaining;
        return new Page(sorted.GetRange(start, take), take < remaining);
    }
}
