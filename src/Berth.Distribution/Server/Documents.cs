using System.Text.Json.Serialization;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>The spec's error body: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
public sealed record ErrorResponse(IReadOnlyList<ErrorEntry> Errors);

public sealed record ErrorEntry(string Code, string Message, string? Detail);

/// <summary><c>GET /v2/&lt;name&gt;/tags/list</c>.</summary>
public sealed record TagList(string Name, IReadOnlyList<string> Tags);

/// <summary><c>GET /v2/_catalog</c>.</summary>
public sealed record RepositoryList(IReadOnlyList<string> Repositories);

/// <summary>
/// Every field the registry reads from a pushed manifest or index (both shapes in one, so one parse tells which it is).
/// Unknown fields are ignored; wrongly typed ones fail the parse (MANIFEST_INVALID).
/// </summary>
public sealed class ManifestDocument
{
    public int? SchemaVersion { get; set; }
    public string? MediaType { get; set; }
    public string? ArtifactType { get; set; }
    public Descriptor? Config { get; set; }
    public List<Descriptor>? Layers { get; set; }
    public List<Descriptor>? Manifests { get; set; }
    public Descriptor? Subject { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonIgnore]
    public bool IsIndex => MediaTypes.IsIndex(MediaType);
}
