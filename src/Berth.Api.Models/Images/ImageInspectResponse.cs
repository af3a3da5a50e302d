using System.Text.Json.Serialization;
using Berth.Api.Models.Containers;

namespace Berth.Api.Models.Images;

/// <summary>
/// <c>GET /images/{name}/json</c> (v1.44 <c>ImageInspect</c>). <c>Id</c> is <c>sha256:&lt;64hex&gt;</c>;
/// <c>RepoTags</c> are familiar (<c>alpine:latest</c>); <c>Created</c> is RFC3339Nano UTC.
/// <c>Container</c>/<c>ContainerConfig</c> still exist at 1.44 (dropped at 1.45).
/// </summary>
public sealed class ImageInspectResponse
{
    public string Id { get; set; } = "";
    public List<string> RepoTags { get; set; } = [];
    public List<string> RepoDigests { get; set; } = [];
    public string Parent { get; set; } = "";
    public string Comment { get; set; } = "";
    public string Created { get; set; } = "";
    public string Container { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContainerConfig? ContainerConfig { get; set; }

    public string DockerVersion { get; set; } = "";
    public string Author { get; set; } = "";
    public ContainerConfig? Config { get; set; }
    public string Architecture { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }

    public string Os { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; set; }

    public long Size { get; set; }
    public GraphDriverData GraphDriver { get; set; } = new();
    public ImageRootFS RootFS { get; set; } = new();
    public ImageMetadata Metadata { get; set; } = new();
}

public sealed class ImageRootFS
{
    public string Type { get; set; } = "layers";
    public List<string> Layers { get; set; } = [];
}

public sealed class ImageMetadata
{
    /// <summary>RFC3339Nano, or <c>0001-01-01T00:00:00Z</c> when never tagged locally.</summary>
    public string LastTagTime { get; set; } = "0001-01-01T00:00:00Z";
}
