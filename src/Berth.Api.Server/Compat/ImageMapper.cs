using Berth.Images;
using Berth.Oci.Image;
using W = Berth.Api.Models.Images;
using WC = Berth.Api.Models.Containers;

namespace Berth.Api.Server.Compat;

/// <summary>The image store's records as Docker's image list, inspect and history shapes.</summary>
public static class ImageMapper
{
    public static W.ImageSummary ToSummary(ImageSummary s) => new()
    {
        Id = s.Id.ToString(),
        RepoTags = [.. s.RepoTags],
        RepoDigests = [.. s.RepoDigests],
        Created = s.Created.ToUnixTimeSeconds(),
        Size = s.Size,
        Labels = new Dictionary<string, string>(s.Labels),
    };

    public static W.ImageInspectResponse ToInspect(ImageDetails d) => new()
    {
        Id = d.Id.ToString(),
        RepoTags = [.. d.RepoTags],
        RepoDigests = [.. d.RepoDigests],
        Comment = d.Config.Comment ?? "",
        Created = d.Config.Created is { } created && DateTimeOffset.TryParse(created, out var t)
            ? ContainerMapper.Time(t.UtcDateTime) : ContainerMapper.Time(d.Record.Created.UtcDateTime),
        DockerVersion = d.Config.DockerVersion ?? "",
        Author = d.Config.Author ?? "",
        Config = ToWire(d.Config.Config),
        Architecture = d.Architecture,
        Variant = d.Config.Variant,
        Os = d.Os,
        Size = d.Size,
        GraphDriver = new WC.GraphDriverData { Name = "overlay2", Data = new Dictionary<string, string>() },
        RootFS = new W.ImageRootFS { Type = d.Config.Rootfs.Type, Layers = [.. d.DiffIds] },
        Metadata = new W.ImageMetadata
        {
            LastTagTime = d.Record.LastTagTime is { } tagged ? ContainerMapper.Time(tagged.UtcDateTime) : "0001-01-01T00:00:00Z",
        },
    };

    public static W.ImageHistoryResponseItem ToHistory(ImageHistoryItem h) => new()
    {
        Id = h.Id,
        Created = h.Created?.ToUnixTimeSeconds() ?? 0,
        CreatedBy = h.CreatedBy,
        Tags = [.. h.Tags],
        Size = h.Size,
        Comment = h.Comment,
    };

    public static W.ImageDeleteResponseItem ToWire(ImageDeleteItem item) => new() { Untagged = item.Untagged, Deleted = item.Deleted };

    private static WC.ContainerConfig ToWire(ImageRuntimeConfig? c) => new()
    {
        User = c?.User ?? "",
        ExposedPorts = c?.ExposedPorts?.ToDictionary(p => p.Key, _ => new WC.EmptyObject()),
        Env = c?.Env,
        Cmd = c?.Cmd,
        Entrypoint = c?.Entrypoint,
        Volumes = c?.Volumes?.ToDictionary(v => v.Key, _ => new WC.EmptyObject()),
        WorkingDir = c?.WorkingDir ?? "",
        Labels = c?.Labels ?? [],
        StopSignal = c?.StopSignal,
        OnBuild = c?.OnBuild,
        Shell = c?.Shell,
        Healthcheck = c?.Healthcheck is { } h
            ? new WC.HealthConfig
            {
                Test = h.Test, Interval = h.Interval ?? 0, Timeout = h.Timeout ?? 0, StartPeriod = h.StartPeriod ?? 0,
                StartInterval = h.StartInterval ?? 0, Retries = h.Retries ?? 0,
            }
            : null,
    };
}
