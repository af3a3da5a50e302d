using Berth.Oci.Image;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker rmi</c>, with Docker's rules. By reference: the reference is removed (and, when it was the repository's
    /// last tag, its digest references too); the image goes only with its last reference. By id: the image's references
    /// are removed if they are all in one repository with at most one tag; else deleting needs <paramref name="force"/>.
    /// An image used by a running container is never deleted, one used by a stopped container only with force.
    /// Deleting removes the blobs and snapshots no other image needs.
    /// </summary>
    /// <param name="uses">The containers that use images, and whether they run (the engine knows them).</param>
    /// <returns>Docker's lines in order: <c>Untagged: …</c>, then <c>Deleted: sha256:&lt;id&gt;</c> and one per removed layer (chain id).</returns>
    /// <exception cref="ImageException">NotFound; InvalidArgument; Conflict with Docker's message.</exception>
    public Task<IReadOnlyList<ImageDeleteItem>> DeleteAsync(
        string nameOrId, bool force, IReadOnlyCollection<ImageUse> uses, bool prune = true, CancellationToken cancellationToken = default) =>
        GatedAsync<IReadOnlyList<ImageDeleteItem>>(async () =>
        {
            var image = await ResolveAsync(nameOrId, cancellationToken);
            var parents = await ParentsAsync(await index.ListAsync(cancellationToken), cancellationToken);
            var hasChildren = parents.ContainsValue(image.Id);
            var users = uses.Where(u => u.ImageId == image.Id).ToList();
            var references = (await ReferencesByImageAsync(cancellationToken)).GetValueOrDefault(image.Id) ?? [];
            var items = new List<ImageDeleteItem>();
            var quiet = false;
            if (!IsIdPrefix(image.Id, nameOrId))
            {
                if (!force && IsSingleReference(references) && users.FirstOrDefault() is { } user)
                    throw ImageException.Conflict($"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {ShortId(user.ContainerId)} is using its referenced image {image.ShortId}");
                var removed = ParseReference(nameOrId);
                removed = removed.Digest is { } d ? removed.WithDigest(d) : removed.WithDefaultTag();
                references = await UntagLockedAsync(references, [removed], items, cancellationToken);
                // The repository's last tag gone: its digest references go too.
                if (removed.Digest is null && !references.Any(r => r.Digest is null && r.Name == removed.Name))
                    references = await UntagLockedAsync(references, [.. references.Where(r => r.Name == removed.Name)], items, cancellationToken);
                if (references.Count > 0) return items;
                quiet = true;
            }
            else if (IsSingleReference(references))
            {
                Conflict(image, users, references, hasChildren, force ? ConflictKinds.Hard : ConflictKinds.Hard | ConflictKinds.StoppedContainer)?.Throw();
                references = await UntagLockedAsync(references, references, items, cancellationToken);
            }
            if (Conflict(image, users, references, hasChildren, force ? ConflictKinds.Hard : ConflictKinds.Hard | ConflictKinds.Soft) is { } conflict)
            {
                if (quiet && conflict.Used) return items; // untagged; the image stays for its container or its children
                conflict.Throw();
            }
            await UntagLockedAsync(references, references, items, cancellationToken);
            await RemoveImageLockedAsync(image, items, cancellationToken);
            if (prune) await RemoveUnusedParentsLockedAsync(image.Id, parents, uses, items, cancellationToken);
            return items;
        }, cancellationToken);

    /// <summary>
    /// Docker's parent pruning after a delete: the deleted image's parent goes too when nothing keeps it (no reference,
    /// no other child, no container), and so on up the chain: a built image's intermediate steps leave with it.
    /// </summary>
    private async Task RemoveUnusedParentsLockedAsync(
        Digest deleted, Dictionary<Digest, Digest> parents, IReadOnlyCollection<ImageUse> uses, List<ImageDeleteItem> items, CancellationToken cancellationToken)
    {
        var referenced = (await ReferencesByImageAsync(cancellationToken)).Keys.ToHashSet();
        var used = uses.Select(u => u.ImageId).ToHashSet();
        while (parents.Remove(deleted, out var parent))
        {
            if (referenced.Contains(parent) || used.Contains(parent) || parents.ContainsValue(parent)) return;
            if (await index.GetAsync(parent, cancellationToken) is not { } image) return;
            await RemoveImageLockedAsync(image, items, cancellationToken);
            deleted = parent;
        }
    }

    /// <summary>
    /// <c>docker image prune</c>: deletes the dangling images (no reference), or with <paramref name="all"/> every image no
    /// container uses; <paramref name="filter"/> narrows further (labels, until). Images in use are never pruned. Ends
    /// with a garbage collection (<see cref="CollectGarbageAsync"/>), so what crashes left goes too.
    /// </summary>
    public Task<PruneResult> PruneAsync(
        bool all, IReadOnlyCollection<ImageUse> uses, Func<ImageSummary, bool>? filter = null, CancellationToken cancellationToken = default) =>
        GatedAsync(async () =>
        {
            var used = uses.Select(u => u.ImageId).ToHashSet();
            var referencesByImage = await ReferencesByImageAsync(cancellationToken);
            var summaries = await ListAsync(cancellationToken);
            var parents = await ParentsAsync(await index.ListAsync(cancellationToken), cancellationToken);
            var items = new List<ImageDeleteItem>();
            long reclaimed = 0;
            // Only images without children are candidates (Docker's "heads"); their unused parents follow them.
            foreach (var summary in summaries.Where(s => !s.HasChildren))
            {
                var references = referencesByImage.GetValueOrDefault(summary.Id) ?? [];
                if (used.Contains(summary.Id) || (!all && references.Count > 0) || (filter is not null && !filter(summary))) continue;
                if (await index.GetAsync(summary.Id, cancellationToken) is not { } image) continue;
                await UntagLockedAsync(references, references, items, cancellationToken);
                await RemoveImageLockedAsync(image, items, cancellationToken);
                reclaimed += image.Size;
                await RemoveUnusedParentsLockedAsync(image.Id, parents, uses, items, cancellationToken);
            }
            await CollectGarbageLockedAsync(cancellationToken);
            return new PruneResult(items, reclaimed);
        }, cancellationToken);

    private async Task RemoveImageLockedAsync(ImageRecord image, List<ImageDeleteItem> items, CancellationToken cancellationToken)
    {
        await index.DeleteAsync(image.Id, cancellationToken);
        items.Add(new ImageDeleteItem(Deleted: image.Id.ToString()));
        var chains = image.Layers.Select(l => l.ChainId).Reverse();
        foreach (var chain in await CollectLockedAsync(image.Blobs, chains, cancellationToken))
            items.Add(new ImageDeleteItem(Deleted: chain.ToString()));
    }

    /// <summary>Removes <paramref name="remove"/> from the index, adds an Untagged line for each, returns what remains.</summary>
    private async Task<List<ImageReference>> UntagLockedAsync(
        List<ImageReference> references, IReadOnlyList<ImageReference> remove, List<ImageDeleteItem> items, CancellationToken cancellationToken)
    {
        foreach (var reference in remove.ToList())
        {
            if (await index.RemoveReferenceAsync(reference.ToString(), cancellationToken))
                items.Add(new ImageDeleteItem(Untagged: reference.Familiar));
        }
        return [.. references.Where(r => !remove.Contains(r))];
    }

    /// <summary>Docker's isImageIDPrefix: the name given is the id or a prefix of it, with or without <c>sha256:</c>.</summary>
    private static bool IsIdPrefix(Digest id, string nameOrId) =>
        id.ToString().StartsWith(nameOrId, StringComparison.Ordinal) || id.Encoded.StartsWith(nameOrId, StringComparison.Ordinal);

    /// <summary>
    /// Docker's isSingleReference: one reference; or at most one tag, and every digest reference in that tag's repository
    /// (all in one repository).
    /// </summary>
    private static bool IsSingleReference(IReadOnlyList<ImageReference> references)
    {
        if (references.Count <= 1) return references.Count == 1;
        var tags = references.Where(r => r.Digest is null).ToList();
        if (tags.Count > 1) return false;
        var digestRepositories = references.Where(r => r.Digest is not null).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var single = tags.Count == 1 ? tags[0] : references[0];
        return digestRepositories.Count == 1 && digestRepositories.Contains(single.Name);
    }

    [Flags]
    private enum ConflictKinds
    {
        RunningContainer = 1,
        ActiveReference = 2,
        StoppedContainer = 4,
        DependentChild = 8,
        Hard = RunningContainer | DependentChild,
        Soft = ActiveReference | StoppedContainer,
    }

    private sealed record DeleteConflict(string ShortImageId, bool Hard, bool Used, string Message)
    {
        public void Throw() =>
            throw ImageException.Conflict($"conflict: unable to delete {ShortImageId} ({(Hard ? "cannot be forced" : "must be forced")}) - {Message}");
    }

    private static DeleteConflict? Conflict(ImageRecord image, List<ImageUse> users, List<ImageReference> references, bool hasChildren, ConflictKinds kinds)
    {
        if (kinds.HasFlag(ConflictKinds.DependentChild) && hasChildren)
            return new(image.ShortId, Hard: true, Used: true, "image has dependent child images");
        if (kinds.HasFlag(ConflictKinds.RunningContainer) && users.FirstOrDefault(u => u.Running) is { } running)
            return new(image.ShortId, Hard: true, Used: true, $"image is being used by running container {ShortId(running.ContainerId)}");
        if (kinds.HasFlag(ConflictKinds.ActiveReference) && references.Count > 0)
            return new(image.ShortId, Hard: false, Used: false, "image is referenced in multiple repositories");
        if (kinds.HasFlag(ConflictKinds.StoppedContainer) && users.FirstOrDefault(u => !u.Running) is { } stopped)
            return new(image.ShortId, Hard: false, Used: true, $"image is being used by stopped container {ShortId(stopped.ContainerId)}");
        return null;
    }

    private static string ShortId(string id)
    {
        var hex = id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id;
        return hex.Length > 12 ? hex[..12] : hex;
    }
}
