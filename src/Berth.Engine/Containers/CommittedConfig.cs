using Berth.Engine.Containers.Model;
using Berth.Oci.Image;

namespace Berth.Engine.Containers;

/// <summary>
/// The config an image committed from a container gets: the container's own settings over its image's, by moby's
/// <c>merge</c> (<c>daemon/commit.go</c>): the container's fields win, Env and ExposedPorts and Volumes and Labels
/// are unions, an image's Cmd is kept only when the container set neither Cmd nor Entrypoint.
/// </summary>
public static class CommittedConfig
{
    public static ImageRuntimeConfig Merge(ContainerConfig container, ImageRuntimeConfig? image) => Merge(ToImage(container), image);

    /// <summary>The fields <paramref name="user"/> sets win; the others come from <paramref name="image"/>.</summary>
    public static ImageRuntimeConfig Merge(ImageRuntimeConfig user, ImageRuntimeConfig? image)
    {
        var merged = user.Clone();
        if (image is null) return merged;
        if (string.IsNullOrEmpty(merged.User)) merged.User = image.User;
        merged.ExposedPorts = Union(image.ExposedPorts, merged.ExposedPorts);
        merged.Volumes = Union(image.Volumes, merged.Volumes);
        merged.Env = Oci.ContainerProcess.MergedEnv(merged.Env ?? [], image.Env ?? []) is { Count: > 0 } env ? env : null;
        if (image.Labels is { Count: > 0 } || merged.Labels is { Count: > 0 })
            merged.Labels = new Dictionary<string, string>([.. image.Labels ?? [], .. merged.Labels ?? []]).ToDictionary();
        if (merged.Entrypoint is null or { Count: 0 })
        {
            if (merged.Cmd is null or { Count: 0 }) merged.Cmd = image.Cmd is null ? null : [.. image.Cmd];
            merged.Entrypoint ??= image.Entrypoint is null ? null : [.. image.Entrypoint];
        }
        if (string.IsNullOrEmpty(merged.WorkingDir)) merged.WorkingDir = image.WorkingDir;
        if (string.IsNullOrEmpty(merged.StopSignal)) merged.StopSignal = image.StopSignal;
        merged.Healthcheck ??= image.Clone().Healthcheck;
        merged.Shell ??= image.Shell is null ? null : [.. image.Shell];
        merged.OnBuild ??= image.OnBuild is null ? null : [.. image.OnBuild];
        return merged;
    }

    /// <summary>A container's settings in an image config's shape (unset ones stay null).</summary>
    public static ImageRuntimeConfig ToImage(ContainerConfig c) => new()
    {
        User = string.IsNullOrEmpty(c.User) ? null : c.User,
        ExposedPorts = c.ExposedPorts.Count == 0 ? null : c.ExposedPorts.ToDictionary(p => p, _ => new EmptyObject()),
        Env = c.Env.Count == 0 ? null : [.. c.Env],
        Entrypoint = c.Entrypoint is null ? null : [.. c.Entrypoint],
        Cmd = c.Cmd is null ? null : [.. c.Cmd],
        Volumes = c.Volumes.Count == 0 ? null : c.Volumes.ToDictionary(v => v, _ => new EmptyObject()),
        WorkingDir = string.IsNullOrEmpty(c.WorkingDir) ? null : c.WorkingDir,
        Labels = c.Labels.Count == 0 ? null : new Dictionary<string, string>(c.Labels),
        StopSignal = string.IsNullOrEmpty(c.StopSignal) ? null : c.StopSignal,
        Healthcheck = c.Healthcheck is { } h ? new ImageHealthcheck
        {
            Test = [.. h.Test],
            Interval = Nanoseconds(h.Interval),
            Timeout = Nanoseconds(h.Timeout),
            StartPeriod = Nanoseconds(h.StartPeriod),
            StartInterval = Nanoseconds(h.StartInterval),
            Retries = h.Retries == 0 ? null : h.Retries,
        } : null,
    };

    private static long? Nanoseconds(TimeSpan span) => span == TimeSpan.Zero ? null : span.Ticks * 100;

    private static Dictionary<string, EmptyObject>? Union(Dictionary<string, EmptyObject>? first, Dictionary<string, EmptyObject>? second)
    {
        if (first is null or { Count: 0 } && second is null or { Count: 0 }) return null;
        var union = new Dictionary<string, EmptyObject>(first ?? []);
        foreach (var key in (second ?? []).Keys) union[key] = new EmptyObject();
        return union;
    }
}
