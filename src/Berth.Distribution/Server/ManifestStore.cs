using System.Security.Cryptography;
using Berth.Distribution.Storage;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>A manifest as stored: its exact bytes, the digest of those bytes and its media type.</summary>
public sealed record StoredManifest(Digest Digest, string MediaType, byte[] Content);

/// <summary>What a manifest push did: the digest, and the subject it was indexed under (for <c>OCI-Subject</c>).</summary>
public sealed record PushedManifest(Digest Digest, Digest? Subject);

/// <summary>
/// Manifests, tags and the referrers index. A manifest's bytes are a blob under <c>blobs/</c> (written atomically,
/// its digest computed here), linked into the repository by a revision link; tags point at revisions.
/// </summary>
public sealed class ManifestStore(IStorageDriver driver, BlobStore blobs)
{
    public async Task<StoredManifest> GetAsync(string name, string reference, CancellationToken cancellationToken = default)
    {
        var digest = await ResolveAsync(name, reference, cancellationToken);
        var content = await ReadAsync(name, digest, cancellationToken) ?? throw await UnknownAsync(name, reference, cancellationToken);
        return new StoredManifest(digest, ManifestValidator.StoredMediaType(content), content);
    }

    /// <summary>
    /// Validates and stores a manifest under a tag or its digest (plus <paramref name="extraTags"/>). A pull-through
    /// cache stores manifests before their blobs, so it turns <paramref name="requireReferences"/> off.
    /// </summary>
    public async Task<PushedManifest> PutAsync(string name, string reference, string? contentType, byte[] content,
        IReadOnlyList<string> extraTags, bool requireReferences = true, CancellationToken cancellationToken = default)
    {
        var document = ManifestValidator.Parse(content, contentType);
        var tags = new List<string>(extraTags);
        Digest digest;
        if (reference.Contains(':'))
        {
            var expected = Grammar.RequireDigest(reference);
            digest = expected;
            var actual = DigestOf(content, expected.Algorithm);
            if (actual != expected) throw new RegistryException(ErrorCode.DigestInvalid, $"manifest is {actual}, not {expected}");
        }
        else
        {
            digest = DigestOf(content, "sha256");
            tags.Add(reference);
        }
        foreach (var tag in tags)
        {
            if (!Grammar.IsTag(tag)) throw new RegistryException(ErrorCode.ManifestInvalid, $"invalid tag \"{tag}\"");
        }
        if (requireReferences) await RequireReferencedAsync(name, document, cancellationToken);

        await driver.PutContentAsync(RegistryPaths.BlobData(digest), content, cancellationToken);
        await Links.WriteAsync(driver, RegistryPaths.RevisionLink(name, digest), digest, cancellationToken);
        Digest? subject = null;
        if (document.Subject is { } descriptor && Digest.TryParse(descriptor.Digest, out var subjectDigest))
        {
            await Links.WriteAsync(driver, RegistryPaths.ReferrerLink(name, subjectDigest, digest), digest, cancellationToken);
            subject = subjectDigest;
        }
        foreach (var tag in tags)
        {
            await Links.WriteAsync(driver, RegistryPaths.TagIndexLink(name, tag, digest), digest, cancellationToken);
            await Links.WriteAsync(driver, RegistryPaths.TagCurrentLink(name, tag), digest, cancellationToken);
        }
        return new PushedManifest(digest, subject);
    }

    /// <summary>Deletes a tag, or a manifest by digest together with every tag naming it and its referrer entry.</summary>
    public async Task DeleteAsync(string name, string reference, CancellationToken cancellationToken = default)
    {
        if (!reference.Contains(':'))
        {
            if (!Grammar.IsTag(reference) || !await Links.TryDeleteAsync(driver, RegistryPaths.Tag(name, reference), cancellationToken))
                throw await UnknownAsync(name, reference, cancellationToken);
            return;
        }
        var digest = Grammar.RequireDigest(reference);
        var content = await ReadAsync(name, digest, cancellationToken) ?? throw await UnknownAsync(name, reference, cancellationToken);
        foreach (var tag in await Links.ListNamesAsync(driver, RegistryPaths.Tags(name), cancellationToken))
        {
            if (await Links.ReadAsync(driver, RegistryPaths.TagCurrentLink(name, tag), cancellationToken) == digest)
                await Links.TryDeleteAsync(driver, RegistryPaths.Tag(name, tag), cancellationToken);
        }
        var subject = ManifestValidator.SubjectOf(content);
        if (subject is { } subjectDigest)
            await Links.TryDeleteAsync(driver, StoragePath.Parent(RegistryPaths.ReferrerLink(name, subjectDigest, digest)), cancellationToken);
        await Links.TryDeleteAsync(driver, StoragePath.Parent(RegistryPaths.RevisionLink(name, digest)), cancellationToken);
    }

    /// <summary>The manifest's bytes when the repository has that revision, else null.</summary>
    internal async Task<byte[]?> ReadAsync(string name, Digest digest, CancellationToken cancellationToken)
    {
        if (await Links.ReadAsync(driver, RegistryPaths.RevisionLink(name, digest), cancellationToken) != digest) return null;
        try
        {
            return await driver.GetContentAsync(RegistryPaths.BlobData(digest), cancellationToken);
        }
        catch (PathNotFoundException)
        {
            return null;
        }
    }

    private async Task<Digest> ResolveAsync(string name, string reference, CancellationToken cancellationToken)
    {
        if (reference.Contains(':')) return Grammar.RequireDigest(reference);
        if (!Grammar.IsTag(reference)) throw new RegistryException(ErrorCode.ManifestUnknown, "not a valid tag"); // as a path that no route matches
        return await Links.ReadAsync(driver, RegistryPaths.TagCurrentLink(name, reference), cancellationToken)
            ?? throw await UnknownAsync(name, reference, cancellationToken);
    }

    /// <summary>Every blob an image manifest names, and every manifest an index names, must be in the repository.</summary>
    private async Task RequireReferencedAsync(string name, ManifestDocument document, CancellationToken cancellationToken)
    {
        if (document.IsIndex)
        {
            foreach (var child in document.Manifests!)
            {
                var digest = Digest.Parse(child.Digest);
                if (await Links.ReadAsync(driver, RegistryPaths.RevisionLink(name, digest), cancellationToken) != digest)
                    throw new RegistryException(ErrorCode.ManifestBlobUnknown, $"manifest {digest}");
            }
            return;
        }
        foreach (var descriptor in document.Layers!.Prepend(document.Config!))
        {
            if (descriptor.Urls is { Count: > 0 }) continue; // non-distributable: fetched from its URLs, not from us
            var digest = Digest.Parse(descriptor.Digest);
            var size = await blobs.StatAsync(name, digest, cancellationToken)
                ?? throw new RegistryException(ErrorCode.ManifestBlobUnknown, $"blob {digest}");
            if (size != descriptor.Size)
                throw new RegistryException(ErrorCode.ManifestInvalid, $"blob {digest} has {size} bytes, the manifest says {descriptor.Size}");
        }
    }

    private async Task<RegistryException> UnknownAsync(string name, string reference, CancellationToken cancellationToken) =>
        await driver.StatAsync(RegistryPaths.Repository(name), cancellationToken) is null
            ? new RegistryException(ErrorCode.NameUnknown, name)
            : new RegistryException(ErrorCode.ManifestUnknown, reference);

    private static Digest DigestOf(byte[] content, string algorithm) =>
        Digest.FromHash(algorithm, algorithm == "sha512" ? SHA512.HashData(content) : SHA256.HashData(content));
}
