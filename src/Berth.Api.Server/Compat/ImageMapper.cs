using Berth.Engine.Images;
using W = Berth.Api.Models.Images;
using WC = Berth.Api.Models.Containers;

namespace Berth.Api.Server.Compat;

/// <summary>The engine's image views as Docker's image list, inspect, history and delete shapes.</summary>
public static class ImageMapper
{
    public static W.ImageSummary ToSummary(ImageView s) => new()
    {
        Id = s.Id,
        RepoTags = [.. s.RepoTags],
        RepoDigests = [.. s.RepoDigests],
        Created = s.Created.ToUnixTimeSeconds(),
        Size = s.Size,
        Labels = new Dictionary<string, string>(s.Labels),
        ParentId = s.ParentId ?? "",
    };

    public static W.ImageInspectResponse ToInspect(ImageDetailsView d) => new()
    {
        Id = d.Id,
        RepoTags = [.. d.RepoTags],
        RepoDigests = [.. d.RepoDigests],
        Comment = d.Comment ?? "",
        Created = ContainerMapper.Time(d.Created.UtcDateTime),
        DockerVersion = d.DockerVersion ?? "",
        Author = d.Author ?? "",
        Config = ToWire(d.Config),
        Parent = d.Parent ?? "",
        Container = d.Container ?? "",
        ContainerConfig = ToWire(d.ContainerConfig),
        Architecture = d.Architecture,
        Variant = d.Variant,
        Os = d.Os,
        Size = d.Size,
        GraphDriver = new WC.GraphDriverData { Name = "overlay2", Data = new Dictionary<string, string>() },
        RootFS = new W.ImageRootFS { Type = d.RootFsType, Layers = [.. d.DiffIds] },
        Metadata = new W.ImageMetadata
        {
            LastTagTime = d.LastTagTime is { } tagged ? ContainerMapper.Time(tagged.UtcDateTime) : "0001-01-01T00:00:00Z",
        },
    };

    public static W.ImageHistoryResponseItem ToHistory(ImageHistoryView h) => new()
    {
        Id = h.Id,
        Created = h.Created?.ToUnixTimeSeconds() ?? 0,
        CreatedBy = h.CreatedBy,
        Tags = [.. h.Tags],
        Size = h.Size,
        Comment = h.Comment,
    };

    public static W.ImageDeleteResponseItem ToWire(ImageDeleteView item) => new() { Untagged = item.Untagged, Deleted = item.Deleted };

    private static WC.ContainerConfig ToWire(ImageConfigView? c) => new()
    {
        User = c?.User ?? "",
        ExposedPorts = c?.ExposedPorts?.ToDictionary(p => p, _ => new WC.EmptyObject()),
        Env = List(c?.Env),
        Cmd = List(c?.Cmd),
        Entrypoint = List(c?.Entrypoint),
        Volumes = c?.Volumes?.ToDictionary(v => v, _ => new WC.EmptyObject()),
        WorkingDir = c?.WorkingDir ?? "",
        Labels = c?.Labels is { } labels ? new Dictionary<string, string>(labels) : [],
        StopSignal = c?.StopSignal,
        OnBuild = List(c?.OnBuild),
        Shell = List(c?.Shell),
        Healthcheck = c?.Healthcheck is { } h
            ? new WC.HealthConfig
            {
                Test = List(h.Test), Interval = h.Interval ?? 0, Timeout = h.Timeout ?? 0, StartPeriod = h.StartPeriod ?? 0,
                StartInterval = h.StartInterval ?? 0, Retries = h.Retries ?? 0,
            }
            : null,
    };

    /// <summary>A copy, keeping absent apart from empty (Docker shows an absent list as <c>null</c>).</summary>
    private static List<string>? List(IReadOnlyList<string>? items) => items is null ? null : [.. items];
}
