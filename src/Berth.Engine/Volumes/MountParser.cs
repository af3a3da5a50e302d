using Berth.Engine.Containers.Model;

namespace Berth.Engine.Volumes;

/// <summary>
/// One mount a container asks for, parsed: its mount point, and for a volume what to create it with when it does not
/// exist yet (an empty <see cref="VolumeName"/> is an anonymous volume).
/// </summary>
public sealed record PlannedMount(MountPoint Point)
{
    public string VolumeName { get; init; } = "";
    public IReadOnlyDictionary<string, string> DriverOptions { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Docker's Linux mount syntax and rules (moby's linux parser): <c>Binds</c> strings, <c>Mounts</c> objects and
/// <c>VolumesFrom</c> specs, with moby's error texts. Pure, except that a <c>--mount</c> bind's source must exist.
/// </summary>
public static class MountParser
{
    private static readonly HashSet<string> Propagations = ["private", "rprivate", "slave", "rslave", "shared", "rshared"];
    private static readonly HashSet<string> Consistencies = ["consistent", "cached", "delegated", "default"];
    public const string DefaultPropagation = "rprivate";

    /// <summary><c>src:dst[:mode]</c> or <c>dst</c>; an absolute <c>src</c> is a bind, anything else a volume name.</summary>
    public static PlannedMount ParseBind(string raw, string volumeDriver)
    {
        var parts = raw.Split(':', 4);
        if (parts[0].Length == 0) throw Invalid(InvalidSpec(raw));
        string source = "", target, mode = "";
        switch (parts.Length)
        {
            case 1:
                target = parts[0];
                break;
            case 2:
                if (ValidMode(parts[1])) throw Invalid(InvalidSpec(raw)); // /foo:rw is a destination and a mode, no source
                (source, target) = (parts[0], parts[1]);
                break;
            case 3:
                (source, target, mode) = (parts[0], parts[1], parts[2]);
                break;
            default:
                throw Invalid(InvalidSpec(raw));
        }
        if (!ValidMode(mode)) throw Invalid($"invalid mode: {mode}");
        var modes = mode.Split(',');
        var readOnly = modes.Contains("ro");
        var propagation = modes.FirstOrDefault(Propagations.Contains);
        var isBind = source.StartsWith('/');
        var spec = new MountSpec { Type = isBind ? "bind" : "volume", Source = source, Target = target, ReadOnly = readOnly };
        try
        {
            ValidateCommon(spec);
            if (isBind) ValidateAbsolute(source);
        }
        catch (EngineException e)
        {
            throw Invalid($"{InvalidSpec(raw)}: {e.Message}");
        }
        var destination = Clean(target);
        if (isBind)
        {
            return new PlannedMount(new MountPoint
            {
                Type = "bind", Source = Clean(source), Destination = destination, Mode = mode, RW = !readOnly,
                Propagation = propagation ?? DefaultPropagation, CreateSource = true,
            });
        }
        return new PlannedMount(new MountPoint
        {
            Type = "volume", Name = source, Destination = destination, Driver = volumeDriver.Length == 0 ? "local" : volumeDriver,
            Mode = mode.Length == 0 ? "z" : mode, RW = !readOnly, CopyData = !modes.Contains("nocopy"),
        })
        { VolumeName = source };
    }

    /// <summary>One <c>HostConfig.Mounts</c> entry, validated as moby validates it.</summary>
    public static PlannedMount ParseMount(MountSpec spec, Func<string, bool> pathExists)
    {
        try
        {
            ValidateExclusiveOptions(spec);
            ValidateCommon(spec);
            if (spec.Consistency.Length > 0 && !Consistencies.Contains(spec.Consistency))
                throw Invalid($"invalid Consistency: {spec.Consistency}");
            switch (spec.Type)
            {
                case "bind":
                    if (spec.Source.Length == 0) throw Invalid("field Source must not be empty");
                    if (spec.BindOptions is { Propagation.Length: > 0 } b && !Propagations.Contains(b.Propagation))
                        throw Invalid($"invalid propagation mode: {b.Propagation}");
                    ValidateAbsolute(spec.Source);
                    if (!pathExists(spec.Source) && spec.BindOptions?.CreateMountpoint != true)
                        throw Invalid($"bind source path does not exist: {spec.Source}");
                    break;
                case "volume":
                    break;
                case "tmpfs":
                    if (spec.Source.Length > 0) throw Invalid("field Source must not be specified");
                    break;
                default:
                    throw Invalid("mount type unknown");
            }
        }
        catch (EngineException e)
        {
            throw Invalid($"invalid mount config for type \"{spec.Type}\": {e.Message}");
        }
        var destination = Clean(spec.Target);
        return spec.Type switch
        {
            "bind" => new PlannedMount(new MountPoint
            {
                Type = "bind", Source = Clean(spec.Source), Destination = destination, RW = !spec.ReadOnly,
                Propagation = spec.BindOptions is { Propagation.Length: > 0 } b ? b.Propagation : DefaultPropagation,
                NonRecursive = spec.BindOptions?.NonRecursive == true, CreateSource = spec.BindOptions?.CreateMountpoint == true,
            }),
            "volume" => new PlannedMount(new MountPoint
            {
                Type = "volume", Name = spec.Source, Destination = destination, RW = !spec.ReadOnly, Mode = "z",
                Driver = spec.VolumeOptions is { DriverName.Length: > 0 } v ? v.DriverName : "local",
                CopyData = spec.VolumeOptions?.NoCopy != true,
            })
            {
                VolumeName = spec.Source,
                DriverOptions = spec.VolumeOptions?.DriverOptions ?? new Dictionary<string, string>(),
                Labels = spec.VolumeOptions?.Labels ?? new Dictionary<string, string>(),
            },
            _ => new PlannedMount(new MountPoint
            {
                Type = "tmpfs", Destination = destination, RW = !spec.ReadOnly, TmpfsData = TmpfsData(spec.TmpfsOptions, spec.ReadOnly),
            }),
        };
    }

    /// <summary><c>id[:mode]</c>; the mode may only be <c>ro</c> or <c>rw</c> (and a label mode).</summary>
    public static (string Container, bool ReadOnly) ParseVolumesFrom(string spec)
    {
        if (spec.Length == 0) throw Invalid("volumes-from specification cannot be an empty string");
        var colon = spec.IndexOf(':');
        if (colon < 0) return (spec, false);
        var (id, mode) = (spec[..colon], spec[(colon + 1)..]);
        var modes = mode.Split(',');
        if (!ValidMode(mode) || modes.Any(Propagations.Contains) || modes.Contains("nocopy")) throw Invalid($"invalid mode: {mode}");
        return (id, modes.Contains("ro"));
    }

    /// <summary>moby's <c>ConvertTmpfsOptions</c>: <c>ro</c>, <c>mode=</c> in octal, <c>size=</c> in the largest unit that divides it.</summary>
    public static string TmpfsData(MountTmpfsOptions? options, bool readOnly)
    {
        var data = new List<string>();
        if (readOnly) data.Add("ro");
        if (options is { Mode: not 0 } m) data.Add("mode=" + Convert.ToString(m.Mode, 8));
        if (options is { SizeBytes: not 0 } s)
        {
            var (size, suffix) = s.SizeBytes % (1L << 30) == 0 ? (s.SizeBytes >> 30, "g")
                : s.SizeBytes % (1L << 20) == 0 ? (s.SizeBytes >> 20, "m")
                : s.SizeBytes % (1L << 10) == 0 ? (s.SizeBytes >> 10, "k")
                : (s.SizeBytes, "");
            data.Add($"size={size}{suffix}");
        }
        return string.Join(',', data);
    }

    /// <summary>moby's mode check: each of rw/ro, z/Z, propagation, nocopy and consistency at most once, nothing else.</summary>
    public static bool ValidMode(string mode)
    {
        if (mode.Length == 0) return true;
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        foreach (var option in mode.Split(','))
        {
            switch (option)
            {
                case "rw" or "ro": rw++; break;
                case "z" or "Z": label++; break;
                case "nocopy": copy++; break;
                case var p when Propagations.Contains(p): propagation++; break;
                case var c when Consistencies.Contains(c) && c != "default": consistency++; break;
                default: return false;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    private static void ValidateExclusiveOptions(MountSpec spec)
    {
        if (spec.Type != "bind" && spec.BindOptions is not null) throw Invalid("field BindOptions must not be specified");
        if (spec.Type != "volume" && spec.VolumeOptions is not null) throw Invalid("field VolumeOptions must not be specified");
        if (spec.Type != "tmpfs" && spec.TmpfsOptions is not null) throw Invalid("field TmpfsOptions must not be specified");
    }

    private static void ValidateCommon(MountSpec spec)
    {
        if (spec.Target.Length == 0) throw Invalid("field Target must not be empty");
        if (Clean(spec.Target) == "/") throw Invalid("invalid specification: destination can't be '/'");
        ValidateAbsolute(spec.Target);
    }

    private static void ValidateAbsolute(string path)
    {
        if (!path.StartsWith('/')) throw Invalid($"invalid mount path: '{path}' mount path must be absolute");
    }

    /// <summary>Go's path.Clean for absolute paths: no empty, <c>.</c> or <c>..</c> segments, no trailing slash.</summary>
    public static string Clean(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return path.StartsWith('/') ? "/" + string.Join('/', segments) : string.Join('/', segments);
    }

    private static string InvalidSpec(string raw) => $"invalid volume specification: '{raw}'";

    private static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
