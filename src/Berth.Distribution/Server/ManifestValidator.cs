using System.Text.Json;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>
/// Checks the JSON shape of a pushed manifest (MANIFEST_INVALID) and decides its media type: the document's
/// <c>mediaType</c>, else the request's Content-Type, else its shape. Existence of what it names is the store's job.
/// </summary>
public static class ManifestValidator
{
    public static ManifestDocument Parse(ReadOnlySpan<byte> content, string? contentType)
    {
        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(content, DistributionJsonContext.Default.ManifestDocument);
        }
        catch (JsonException e)
        {
            throw Invalid($"not a manifest: {e.Message}");
        }
        if (document is null) throw Invalid("the manifest is null");
        if (document.SchemaVersion != 2) throw Invalid($"schemaVersion {document.SchemaVersion?.ToString() ?? "missing"} is not supported (only 2)");

        document.MediaType = MediaTypeOf(document, BareMediaType(contentType));
        if (MediaTypes.IsIndex(document.MediaType)) ValidateIndex(document);
        else ValidateImage(document);
        if (document.Subject is { } subject) ValidateDescriptor(subject, "subject");
        return document;
    }

    /// <summary>The media type of a stored manifest, for its GET's Content-Type.</summary>
    public static string StoredMediaType(ReadOnlySpan<byte> content)
    {
        try
        {
            var document = JsonSerializer.Deserialize(content, DistributionJsonContext.Default.ManifestDocument);
            return document is null ? MediaTypes.OciManifest : MediaTypeOf(document, null);
        }
        catch (Exception e) when (e is JsonException or RegistryException)
        {
            return MediaTypes.OciManifest;
        }
    }

    /// <summary>The subject digest of a stored manifest, if it has one.</summary>
    public static Digest? SubjectOf(ReadOnlySpan<byte> content)
    {
        try
        {
            var document = JsonSerializer.Deserialize(content, DistributionJsonContext.Default.ManifestDocument);
            return Digest.TryParse(document?.Subject?.Digest, out var digest) ? digest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string MediaTypeOf(ManifestDocument document, string? contentType)
    {
        var declared = document.MediaType;
        var requested = IsSupported(contentType) ? contentType : null;
        if (declared is not null && requested is not null && declared != requested)
            throw Invalid($"mediaType \"{declared}\" does not match Content-Type \"{requested}\"");
        var mediaType = declared ?? requested ?? (document.Manifests is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest);
        if (!IsSupported(mediaType)) throw Invalid($"unsupported manifest media type \"{mediaType}\"");
        if (declared is null && mediaType is MediaTypes.DockerManifest or MediaTypes.DockerManifestList)
            throw Invalid($"a {mediaType} must carry its mediaType field");
        return mediaType;
    }

    private static void ValidateImage(ManifestDocument document)
    {
        if (document.Config is null) throw Invalid("an image manifest needs a config descriptor");
        if (document.Layers is null) throw Invalid("an image manifest needs a layers array");
        if (document.Manifests is not null) throw Invalid("an image manifest cannot have a manifests array");
        ValidateDescriptor(document.Config, "config");
        for (var i = 0; i < document.Layers.Count; i++) ValidateDescriptor(document.Layers[i], $"layers[{i}]");
    }

    private static void ValidateIndex(ManifestDocument document)
    {
        if (document.Manifests is null) throw Invalid("an index needs a manifests array");
        if (document.Config is not null || document.Layers is not null) throw Invalid("an index cannot have config or layers");
        for (var i = 0; i < document.Manifests.Count; i++) ValidateDescriptor(document.Manifests[i], $"manifests[{i}]");
    }

    private static void ValidateDescriptor(Descriptor? descriptor, string field)
    {
        if (descriptor is null) throw Invalid($"{field} is null");
        if (string.IsNullOrEmpty(descriptor.MediaType)) throw Invalid($"{field} has no mediaType");
        if (!Digest.TryParse(descriptor.Digest, out _)) throw Invalid($"{field} has an invalid digest \"{descriptor.Digest}\"");
        if (descriptor.Size < 0) throw Invalid($"{field} has a negative size");
    }

    private static bool IsSupported(string? mediaType) => MediaTypes.IsManifest(mediaType) || MediaTypes.IsIndex(mediaType);

    private static string? BareMediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return null;
        var semicolon = contentType.IndexOf(';');
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
    }

    private static RegistryException Invalid(string detail) => new(ErrorCode.ManifestInvalid, detail);
}
