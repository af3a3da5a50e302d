using Berth.Engine.Containers.Model;
using Berth.Oci.Image;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// What the container's first process runs, in Docker's terms: the create body's Config merged with the image's
/// (moby <c>daemon/commit.go merge</c>), then the daemon's environment (<c>CreateDaemonEnvironment</c>).
/// </summary>
public static class ContainerProcess
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Entrypoint + Cmd. A create Entrypoint replaces the image's and drops the image's Cmd (unless Cmd is given too);
    /// an Entrypoint of <c>[""]</c> resets it to none. Neither left → InvalidArgument "no command specified".
    /// </summary>
    public static List<string> Args(ContainerConfig config, ImageRuntimeConfig? image)
    {
        var entrypoint = config.Entrypoint;
        var cmd = config.Cmd;
        if (entrypoint is null or { Count: 0 })
        {
            if (cmd is null or { Count: 0 }) cmd = image?.Cmd;
            entrypoint ??= image?.Entrypoint;
        }
        if (entrypoint is [""]) entrypoint = null;
        if ((entrypoint?.Count ?? 0) == 0 && (cmd?.Count ?? 0) == 0)
            throw new EngineException(ErrorKind.InvalidArgument, "no command specified");
        return [.. entrypoint ?? [], .. cmd ?? []];
    }

    /// <summary>
    /// The process environment: PATH, HOSTNAME and (with a TTY) TERM first, then the container's variables followed by
    /// the image's that the container does not set; a later value replaces an earlier one of the same name in place,
    /// and a bare <c>NAME</c> (no <c>=</c>) removes it.
    /// </summary>
    public static List<string> Env(ContainerConfig config, ImageRuntimeConfig? image, string hostname)
    {
        List<string> env = ["PATH=" + DefaultPath, "HOSTNAME=" + hostname];
        if (config.Tty) env.Add("TERM=xterm");
        return ReplaceOrAppend(env, MergedEnv(config.Env, image?.Env ?? []));
    }

    /// <summary>Docker's merge: the container's variables, then each image variable whose name the container lacks.</summary>
    public static List<string> MergedEnv(IReadOnlyList<string> container, IReadOnlyList<string> image)
    {
        if (container.Count == 0) return [.. image];
        var names = container.Select(Name).ToHashSet(StringComparer.Ordinal);
        return [.. container, .. image.Where(e => !names.Contains(Name(e)))];
    }

    /// <summary>The working directory: the container's, else the image's, else "/"; it must be absolute.</summary>
    public static string WorkingDir(ContainerConfig config, ImageRuntimeConfig? image)
    {
        var dir = !string.IsNullOrEmpty(config.WorkingDir) ? config.WorkingDir : image?.WorkingDir;
        if (string.IsNullOrEmpty(dir)) return "/";
        if (!dir.StartsWith('/'))
            throw new EngineException(ErrorKind.InvalidArgument, $"the working directory '{dir}' is invalid, it needs to be an absolute path");
        return dir;
    }

    /// <summary>The user spec: the container's, else the image's ("" is root).</summary>
    public static string User(ContainerConfig config, ImageRuntimeConfig? image) =>
        !string.IsNullOrEmpty(config.User) ? config.User : image?.User ?? "";

    private static List<string> ReplaceOrAppend(List<string> defaults, IEnumerable<string> overrides)
    {
        var result = new List<string?>(defaults);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < result.Count; i++) index[Name(result[i]!)] = i;
        foreach (var value in overrides)
        {
            var eq = value.IndexOf('=');
            if (eq < 0)
            {
                if (index.TryGetValue(value, out var unset)) result[unset] = null;
                continue;
            }
            // Only the defaults are looked up, as Docker does: a name given twice by the container is kept twice.
            if (index.TryGetValue(value[..eq], out var at)) result[at] = value;
            else result.Add(value);
        }
        return [.. result.OfType<string>()];
    }

    private static string Name(string variable)
    {
        var eq = variable.IndexOf('=');
        return eq < 0 ? variable : variable[..eq];
    }
}

/// <summary>Docker's hostname rule: the configured one; else, on the host's network or UTS namespace, the host's; else the short ID.</summary>
public static class ContainerHostname
{
    public static string Of(string containerId, ContainerConfig config, HostConfig hostConfig, string hostHostname) =>
        !string.IsNullOrEmpty(config.Hostname) ? config.Hostname
        : NetworkMode.Parse(hostConfig.NetworkMode).IsHost || hostConfig.UtsMode == SpecBuilder.HostMode ? hostHostname
        : containerId.Length > 12 ? containerId[..12] : containerId;
}
