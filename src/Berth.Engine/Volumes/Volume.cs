namespace Berth.Engine.Volumes;

/// <summary>A volume as the engine keeps it (one row of <c>berth.db</c>'s volumes table); Docker's <c>Volume</c>.</summary>
public sealed record Volume
{
    public required string Name { get; init; }
    public required string Driver { get; init; }
    public required string Mountpoint { get; init; }
    public required DateTime CreatedAt { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>The driver's options (<c>type</c>, <c>device</c>, <c>o</c>).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>moby's label on a volume created without a name; prune removes only these unless <c>all=true</c>.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    public bool IsAnonymous => Labels.ContainsKey(AnonymousLabel);
}

/// <summary>A volume with what uses it: the containers that reference it, and its size when asked for.</summary>
public sealed record VolumeUsage(Volume Volume, IReadOnlyList<string> ContainerIds, long Size);
