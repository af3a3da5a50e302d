using Berth.Distribution.Client;
using Berth.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Images;

/// <summary>The image store's and the registry client's records as the engine's views, and back for what callers send in.</summary>
internal static class ImageViewMapping
{
    public static ImageView ToView(this ImageSummary s) =>
        new(s.Id.ToString(), s.RepoTags, s.RepoDigests, s.Created, s.Size, s.Labels, s.ParentId?.ToString(), s.HasChildren);

    public static ImageDetailsView ToView(this ImageDetails d) => new()
    {
        Id = d.Id.ToString(),
        RepoTags = d.RepoTags,
        RepoDigests = d.RepoDigests,
        Created = d.Config.Created is { } created && DateTimeOffset.TryParse(created, out var t) ? t : d.Record.Created,
        Comment = d.Config.Comment,
        DockerVersion = d.Config.DockerVersion,
        Author = d.Config.Author,
        Config = d.Config.Config?.ToView(),
        Parent = d.Config.Parent,
        Container = d.Config.Container,
        ContainerConfig = d.Config.ContainerConfig?.ToView(),
        Architecture = d.Architecture,
        Variant = d.Config.Variant,
        Os = d.Os,
        Size = d.Size,
        RootFsType = d.Config.Rootfs.Type,
        DiffIds = d.DiffIds,
        LastTagTime = d.Record.LastTagTime,
    };

    public static ImageConfigView ToView(this ImageRuntimeConfig c) => new()
    {
        User = c.User,
        ExposedPorts = c.ExposedPorts?.Keys.ToList(),
        Env = c.Env,
        Cmd = c.Cmd,
        Entrypoint = c.Entrypoint,
        Volumes = c.Volumes?.Keys.ToList(),
        WorkingDir = c.WorkingDir,
        Labels = c.Labels,
        StopSignal = c.StopSignal,
        OnBuild = c.OnBuild,
        Shell = c.Shell,
        Healthcheck = c.Healthcheck is { } h ? new(h.Test, h.Interval, h.Timeout, h.StartPeriod, h.StartInterval, h.Retries) : null,
    };

    public static ImageHistoryView ToView(this ImageHistoryItem h) => new(h.Id, h.Created, h.CreatedBy, h.Tags, h.Size, h.Comment);

    public static ImageDeleteView ToView(this ImageDeleteItem item) => new(item.Untagged, item.Deleted);

    public static LoadedImageView ToView(this LoadedImage loaded) => new(loaded.Image.Id.ToString(), loaded.Tags);

    public static PushedImage ToView(this PushResult result) => new(result.Tag, result.Digest.ToString(), result.Size);

    public static RegistryCredentials ToCredentials(this RegistryLogin login) => new(login.Username, login.Password, login.IdentityToken);

    public static ImportOptions ToOptions(this ImportSpec spec) => new() { Reference = spec.Reference, Message = spec.Message, Changes = spec.Changes };

    public static PullOptions ToOptions(this PullSpec spec) => new() { Platform = spec.Platform, Credentials = spec.Login?.ToCredentials(), AllTags = spec.AllTags };

    public static PushOptions ToOptions(this PushSpec spec) => new() { Credentials = spec.Login?.ToCredentials(), AllTags = spec.AllTags };

    /// <summary>Passes each report on as it comes, on the reporting thread (unlike <see cref="Progress{T}"/>, which posts
    /// and so could reorder the lines of a stream).</summary>
    public static IProgress<TFrom> Mapped<TFrom, TTo>(this IProgress<TTo> target, Func<TFrom, TTo> map) => new MappedProgress<TFrom, TTo>(target, map);

    private sealed class MappedProgress<TFrom, TTo>(IProgress<TTo> target, Func<TFrom, TTo> map) : IProgress<TFrom>
    {
        public void Report(TFrom value) => target.Report(map(value));
    }
}
