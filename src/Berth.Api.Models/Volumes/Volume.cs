using System.Text.Json.Serialization;
using Berth.Api.Models.System;

namespace Berth.Api.Models.Volumes;

/// <summary>
/// v1.44 <c>Volume</c>: what create, inspect and list return, its keys in moby's order (the docker CLI prints
/// <c>volume inspect</c> re-encoded from this struct, so that is the order users see).
/// </summary>
public sealed class Volume
{
    /// <summary>RFC 3339 (seconds), as moby prints it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedAt { get; set; }

    public string Driver { get; set; } = "local";
    public Dictionary<string, string> Labels { get; set; } = [];
    public string Mountpoint { get; set; } = "";
    public string Name { get; set; } = "";
    public Dictionary<string, string> Options { get; set; } = [];
    public string Scope { get; set; } = "local";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VolumeUsageData? UsageData { get; set; }
}

/// <summary><c>POST /volumes/create</c>'s body.</summary>
public sealed class VolumeCreateRequest
{
    public string? Name { get; set; }
    public string? Driver { get; set; }
    public Dictionary<string, string>? DriverOpts { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary><c>GET /volumes</c>.</summary>
public sealed class VolumeListResponse
{
    public List<Volume> Volumes { get; set; } = [];
    public List<string>? Warnings { get; set; }
}

/// <summary><c>POST /volumes/prune</c>.</summary>
public sealed class VolumePruneResponse
{
    public List<string> VolumesDeleted { get; set; } = [];
    public ulong SpaceReclaimed { get; set; }
}
