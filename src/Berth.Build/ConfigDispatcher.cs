using System.Globalization;
using Berth.Dockerfile;
using Berth.Oci.Image;

namespace Berth.Build;

/// <summary>
/// The instructions that change only the image's config (ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, VOLUME, USER, WORKDIR,
/// SHELL, STOPSIGNAL, HEALTHCHECK, ONBUILD, MAINTAINER), applied as moby's legacy builder does to a stage's config.
/// Each takes an instruction already expanded and returns the text its history records after <c>#(nop) </c>.
/// </summary>
public static class ConfigDispatcher
{
    public static readonly IReadOnlyList<string> DefaultShell = ["/bin/sh", "-c"];

    /// <summary>Whether <paramref name="instruction"/> is one this class applies.</summary>
    public static bool Handles(Instruction instruction) => instruction is EnvInstruction or LabelInstruction or CmdInstruction
        or EntrypointInstruction or ExposeInstruction or VolumeInstruction or UserInstruction or WorkdirInstruction
        or ShellInstruction or StopSignalInstruction or HealthcheckInstruction or OnbuildInstruction or MaintainerInstruction;

    /// <summary>
    /// Applies the instruction to <paramref name="config"/> (the stage's next config: a copy of its current one) and to
    /// what <paramref name="state"/> tracks besides (CMD set, MAINTAINER); returns the history text.
    /// </summary>
    /// <exception cref="BuildException">a value Docker refuses (a bad port, an empty volume…).</exception>
    public static string Apply(Instruction instruction, ImageRuntimeConfig config, StageState state)
    {
        switch (instruction)
        {
            case EnvInstruction env:
                foreach (var (key, value) in env.Variables) config.Env = SetEnv(config.Env, key, value);
                return "ENV " + string.Join(' ', env.Variables.Select(v => $"{v.Key}={v.Value}"));
            case LabelInstruction label:
                config.Labels ??= [];
                foreach (var (key, value) in label.Labels) config.Labels[key] = value;
                return "LABEL " + string.Join(' ', label.Labels.Select(l => $"{l.Key}={l.Value}"));
            case CmdInstruction cmd:
                config.Cmd = Command(cmd.Command, config);
                state.CmdSet = true;
                return "CMD " + Json(config.Cmd);
            case EntrypointInstruction entrypoint:
                config.Entrypoint = Command(entrypoint.Command, config);
                if (!state.CmdSet) config.Cmd = null; // a new ENTRYPOINT drops an inherited CMD
                return "ENTRYPOINT " + Json(config.Entrypoint);
            case ExposeInstruction expose:
                config.ExposedPorts ??= [];
                var ports = expose.Ports.SelectMany(ExposedPorts).ToList();
                foreach (var port in ports) config.ExposedPorts[port] = new EmptyObject();
                return "EXPOSE " + string.Join(' ', ports.Order(StringComparer.Ordinal));
            case VolumeInstruction volume:
                config.Volumes ??= [];
                foreach (var path in volume.Paths)
                {
                    if (path.Trim().Length == 0) throw new BuildException("VOLUME specified can not be an empty string");
                    config.Volumes[path] = new EmptyObject();
                }
                return "VOLUME " + Json(volume.Paths);
            case UserInstruction user:
                config.User = user.User;
                return "USER " + user.User;
            case WorkdirInstruction workdir:
                config.WorkingDir = Workdir(config.WorkingDir, workdir.Path);
                return "WORKDIR " + config.WorkingDir;
            case ShellInstruction shell:
                config.Shell = [.. shell.Shell];
                return "SHELL " + Json(config.Shell);
            case StopSignalInstruction stop:
                config.StopSignal = stop.Signal;
                return "STOPSIGNAL " + stop.Signal;
            case HealthcheckInstruction health:
                config.Healthcheck = Healthcheck(health);
                return "HEALTHCHECK " + (health.Test is ["NONE"] ? "NONE" : $"&{{{Json(health.Test)} ...}}");
            case OnbuildInstruction onbuild:
                config.OnBuild = [.. config.OnBuild ?? [], onbuild.Trigger];
                return "ONBUILD " + onbuild.Trigger;
            case MaintainerInstruction maintainer:
                state.Author = maintainer.Maintainer;
                return "MAINTAINER " + maintainer.Maintainer;
            default:
                throw new ArgumentException($"{instruction.Keyword} does not only change the config", nameof(instruction));
        }
    }

    /// <summary>A command in exec form as written; in shell form, the stage's shell and the line.</summary>
    public static List<string> Command(CommandLine command, ImageRuntimeConfig config) =>
        command.PrependShell ? [.. config.Shell ?? DefaultShell, string.Join(' ', command.Arguments)] : [.. command.Arguments];

    /// <summary>The env with <paramref name="key"/> set, in place when present, else appended.</summary>
    public static List<string> SetEnv(List<string>? env, string key, string value)
    {
        var result = env is null ? [] : new List<string>(env);
        var entry = $"{key}={value}";
        var index = result.FindIndex(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
        if (index >= 0) result[index] = entry;
        else result.Add(entry);
        return result;
    }

    /// <summary>WORKDIR: an absolute path, or one relative to the current working directory; cleaned.</summary>
    public static string Workdir(string? current, string path)
    {
        var joined = path.StartsWith('/') ? path : (string.IsNullOrEmpty(current) ? "/" : current) + "/" + path;
        var parts = new List<string>();
        foreach (var part in joined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary><c>80</c>, <c>80/udp</c>, <c>8000-8002/tcp</c> as the config's keys (<c>80/tcp</c>…).</summary>
    private static IEnumerable<string> ExposedPorts(string spec)
    {
        var slash = spec.IndexOf('/');
        var protocol = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        var range = slash < 0 ? spec : spec[..slash];
        if (protocol is not ("tcp" or "udp" or "sctp")) throw new BuildException($"invalid proto: {protocol}");
        var dash = range.IndexOf('-');
        if (!TryPort(dash < 0 ? range : range[..dash], out var first) || !TryPort(dash < 0 ? range : range[(dash + 1)..], out var last) || last < first)
            throw new BuildException($"invalid containerPort: {range}");
        for (var port = first; port <= last; port++) yield return $"{port}/{protocol}";
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    private static ImageHealthcheck Healthcheck(HealthcheckInstruction h) => new()
    {
        Test = [.. h.Test],
        Interval = Nanoseconds(h.Interval),
        Timeout = Nanoseconds(h.Timeout),
        StartPeriod = Nanoseconds(h.StartPeriod),
        StartInterval = Nanoseconds(h.StartInterval),
        Retries = h.Retries,
    };

    private static long? Nanoseconds(TimeSpan? span) => span is { } s ? s.Ticks * 100 : null;

    private static string Json(IEnumerable<string> values) =>
        "[" + string.Join(',', values.Select(v => System.Text.Json.JsonSerializer.Serialize(v, BuildJsonContext.Default.String))) + "]";
}
