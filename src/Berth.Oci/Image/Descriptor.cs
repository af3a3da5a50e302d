namespace Berth.Oci.Image;

/// <summary>A typed reference to content (image-spec <c>descriptor.md</c>).</summary>
public sealed class Descriptor
{
    public string MediaType { get; set; } = "";
    public string Digest { get; set; } = "";
    public long Size { get; set; }
    public List<string>? Urls { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public string? Data { get; set; }
    public Platform? Platform { get; set; }
    public string? ArtifactType { get; set; }
}

public sealed class Platform
{
    public string Architecture { get; set; } = "";
    public string Os { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("os.version")]
    public string? OsVersion { get; set; }
    [System.Text.Json.Serialization.JsonPropertyName("os.features")]
    public List<string>? OsFeatures { get; set; }
    public string? Variant { get; set; }
}

/// <summary>An image manifest: OCI or Docker v2 schema 2 (the same shape).</summary>
public sealed class ImageManifest
{
    public int SchemaVersion { get; set; } = 2;
    public string? MediaType { get; set; }
    public string? ArtifactType { get; set; }
    public Descriptor Config { get; set; } = new();
    public List<Descriptor> Layers { get; set; } = [];
    public Descriptor? Subject { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>An image index: OCI or a Docker manifest list.</summary>
public sealed class ImageIndex
{
    public int SchemaVersion { get; set; } = 2;
    public string? MediaType { get; set; }
    public string? ArtifactType { get; set; }
    public List<Descriptor> Manifests { get; set; } = [];
    public Descriptor? Subject { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}
