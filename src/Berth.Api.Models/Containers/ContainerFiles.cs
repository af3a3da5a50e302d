using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary>
/// <c>X-Docker-Container-Path-Stat</c> of <c>HEAD</c>/<c>GET /containers/{id}/archive</c> (base64 of this JSON):
/// <c>mode</c> holds Go's <c>os.FileMode</c> bits, <c>mtime</c> is RFC 3339 with nanoseconds.
/// </summary>
public sealed class ContainerPathStat
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("mode")] public uint Mode { get; set; }
    [JsonPropertyName("mtime")] public string Mtime { get; set; } = "";
    [JsonPropertyName("linkTarget")] public string LinkTarget { get; set; } = "";
}

/// <summary>One entry of <c>GET /containers/{id}/changes</c>: Kind 0 modified, 1 added, 2 deleted.</summary>
public sealed class FilesystemChange
{
    public string Path { get; set; } = "";
    public int Kind { get; set; }
}
