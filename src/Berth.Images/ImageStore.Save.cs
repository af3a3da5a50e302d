using System.Formats.Tar;
using Berth.Images.Archive;
using Berth.Oci.Image;

namespace Berth.Images;

public sealed partial class ImageStore
{
    private static readonly DateTimeOffset ArchiveTime = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// <c>docker save</c>: writes one tar that is both a Docker archive and an OCI image layout, as Docker 25+ does:
    /// <code>
    /// blobs/sha256/&lt;hex&gt;   every manifest, config and layer blob, as stored
    /// index.json           one descriptor per image and name (io.containerd.image.name, org.opencontainers.image.ref.name)
    /// manifest.json        [{Config, RepoTags, Layers}] with blob paths
    /// oci-layout           {"imageLayoutVersion":"1.0.0"}
    /// repositories         {familiar name: {tag: image id hex}}
    /// </code>
    /// A name without tag saves every tag of that repository; a name with a tag saves that tag; an id saves the image
    /// without RepoTags. Every name is resolved before a byte is written.
    /// </summary>
    /// <exception cref="ImageException">NotFound or InvalidArgument for a name.</exception>
    public async Task SaveAsync(IReadOnlyList<string> namesOrIds, Stream output, CancellationToken cancellationToken = default)
    {
        var selected = await SelectForSaveAsync(namesOrIds, cancellationToken);
        using var lease = _leases.Open();
        foreach (var blob in selected.SelectMany(s => s.Image.Blobs)) lease.Hold(blob);
        // The lease keeps the blobs from a delete that raced the resolution: check they are all still there.
        foreach (var blob in selected.SelectMany(s => s.Image.Blobs).Distinct())
        {
            if (!await content.ExistsAsync(blob, cancellationToken)) throw ImageException.NotFound(blob.ToString());
        }

        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await WriteDirectoryAsync(writer, "blobs/", cancellationToken);
        await WriteDirectoryAsync(writer, "blobs/sha256/", cancellationToken);
        foreach (var blob in selected.SelectMany(s => s.Image.Blobs).Distinct())
        {
            await using var data = await content.OpenReadAsync(blob, cancellationToken);
            await WriteFileAsync(writer, BlobPath(blob), data, cancellationToken);
        }
        var manifestSizes = new Dictionary<Digest, long>();
        foreach (var (image, _) in selected) manifestSizes[image.ManifestDigest] = (await content.InfoAsync(image.ManifestDigest, cancellationToken)).Size;
        await WriteJsonAsync(writer, "index.json", ImageJson.Serialize(LayoutIndex(selected, manifestSizes)), cancellationToken);
        var manifest = selected.Select(s => new DockerArchiveEntry
        {
            Config = BlobPath(s.Image.Id),
            RepoTags = s.Tags.Count == 0 ? null : [.. s.Tags.Select(t => t.Familiar)],
            Layers = [.. s.Image.Layers.Select(l => BlobPath(l.Blob))],
        }).ToList();
        await WriteJsonAsync(writer, "manifest.json", ImageJson.Serialize(manifest), cancellationToken);
        await WriteJsonAsync(writer, "oci-layout", ImageJson.Serialize(new OciLayout()), cancellationToken);
        var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (image, tags) in selected)
        {
            foreach (var tag in tags)
                (repositories.TryGetValue(tag.FamiliarName, out var byTag) ? byTag : repositories[tag.FamiliarName] = [])[tag.Tag!] = image.Id.Encoded;
        }
        if (repositories.Count > 0)
            await WriteJsonAsync(writer, "repositories", ImageJson.Serialize(repositories), cancellationToken);
    }

    /// <summary>The images to save, in the order first named, each with the tags it is saved under.</summary>
    private async Task<List<(ImageRecord Image, List<ImageReference> Tags)>> SelectForSaveAsync(IReadOnlyList<string> namesOrIds, CancellationToken cancellationToken)
    {
        var selected = new List<(ImageRecord Image, List<ImageReference> Tags)>();
        void Add(ImageRecord image, ImageReference? tag)
        {
            var i = selected.FindIndex(s => s.Image.Id == image.Id);
            if (i < 0) selected.Add((image, []));
            var tags = selected[i < 0 ? ^1 : i].Tags;
            if (tag is not null && !tags.Contains(tag)) tags.Add(tag);
        }

        var references = await index.ReferencesAsync(cancellationToken);
        foreach (var name in namesOrIds)
        {
            if (!IsFullId(name, out _) && ImageReference.TryParse(name, out var repository) && repository.Tag is null && repository.Digest is null)
            {
                var repositoryTags = references
                    .Select(r => (Reference: ImageReference.TryParse(r.Key, out var parsed) ? parsed : null, Id: r.Value))
                    .Where(r => r.Reference is { Digest: null } && r.Reference.Name == repository.Name)
                    .OrderBy(r => r.Reference!.Tag, StringComparer.Ordinal).ToList();
                foreach (var (reference, id) in repositoryTags)
                {
                    if (await index.GetAsync(id, cancellationToken) is { } tagged) Add(tagged, reference);
                }
                if (repositoryTags.Count > 0) continue;
            }
            var image = await ResolveAsync(name, cancellationToken);
            var named = IsFullId(name, out _) || IsIdPrefix(image.Id, name) ? null : ParseReference(name);
            Add(image, named is { Digest: null } ? named.WithDefaultTag() : null);
        }
        return selected;
    }

    private static ImageIndex LayoutIndex(List<(ImageRecord Image, List<ImageReference> Tags)> selected, Dictionary<Digest, long> manifestSizes)
    {
        var layoutIndex = new ImageIndex { MediaType = MediaTypes.OciIndex };
        foreach (var (image, tags) in selected)
        {
            Descriptor Describe(Dictionary<string, string>? annotations) => new()
            {
                MediaType = image.ManifestMediaType,
                Digest = image.ManifestDigest.ToString(),
                Size = manifestSizes[image.ManifestDigest],
                Annotations = annotations,
            };
            if (tags.Count == 0) layoutIndex.Manifests.Add(Describe(null));
            foreach (var tag in tags)
                layoutIndex.Manifests.Add(Describe(new() { [ContainerdNameAnnotation] = tag.ToString(), [OciRefNameAnnotation] = tag.Tag! }));
        }
        return layoutIndex;
    }

    private static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    private static Task WriteDirectoryAsync(TarWriter writer, string name, CancellationToken cancellationToken) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED, ModificationTime = ArchiveTime }, cancellationToken);

    private static Task WriteJsonAsync(TarWriter writer, string name, byte[] json, CancellationToken cancellationToken) =>
        WriteFileAsync(writer, name, new MemoryStream(json), cancellationToken);

    private static Task WriteFileAsync(TarWriter writer, string name, Stream data, CancellationToken cancellationToken) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0x1A4, ModificationTime = ArchiveTime, DataStream = data }, cancellationToken);
}
