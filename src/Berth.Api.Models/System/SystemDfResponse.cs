using System.Text.Json.Serialization;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Images;
using Berth.Api.Models.Volumes;

namespace Berth.Api.Models.System;

/// <summary><c>GET /system/df</c>: usage of images, containers, volumes and build cache.</summary>
public sealed class SystemDfResponse
{
    public long LayersSize { get; set; }
    public List<ImageSummary> Images { get; set; } = [];
    public List<ContainerSummary> Containers { get; set; } = [];
    /// <summary>The v1.44 <c>Volume</c> shape, with <c>UsageData</c>.</summary>
    public List<Volume> Volumes { get; set; } = [];
    public List<BuildCacheRecord> BuildCache { get; set; } = [];
}

/// <summary><c>Size</c>/<c>RefCount</c> are -1 when not computed.</summary>
public sealed class VolumeUsageData
{
    public long Size { get; set; } = -1;
    public long RefCount { get; set; } = -1;
}

/// <summary><c>POST /build/prune</c>: the cache records deleted (null when none, as moby answers) and the bytes freed.</summary>
public sealed class BuildCachePruneResponse
{
    public List<string>? CachesDeleted { get; set; }
    public ulong SpaceReclaimed { get; set; }
}

public sealed class BuildCacheRecord
{
    public string ID { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Parents { get; set; }

    public string Type { get; set; } = "";
    public string Description { get; set; } = "";
    public bool InUse { get; set; }
    public bool Shared { get; set; }
    public long Size { get; set; }
    public string CreatedAt { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastUsedAt { get; set; }

    public int UsageCount { get; set; }
}
