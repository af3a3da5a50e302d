using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>--mount type=bind,source=/x,target=/y,readonly</c> as docker's CLI reads it (its <c>MountOpt</c>): comma-separated
/// <c>key=value</c> fields (a few flags stand alone), <c>volume</c> by default, and its error texts.
/// </summary>
internal static class MountFlag
{
    /// <exception cref="FormatException">docker's message; the flag parser adds <c>invalid argument … for "--mount" flag</c>.</exception>
    public static Mount Parse(string value)
    {
        var mount = new Mount { Type = "volume" };
        VolumeOptions Volume() => mount.VolumeOptions ??= new VolumeOptions { Labels = [], DriverConfig = new VolumeDriverConfig() };
        BindOptions Bind() => mount.BindOptions ??= new BindOptions();
        TmpfsOptions Tmpfs() => mount.TmpfsOptions ??= new TmpfsOptions();
        foreach (var field in SplitCsv(value))
        {
            var eq = field.IndexOf('=');
            if (eq < 0)
            {
                switch (field)
                {
                    case "readonly" or "ro": mount.ReadOnly = true; continue;
                    case "volume-nocopy": Volume().NoCopy = true; continue;
                    case "bind-nonrecursive": Bind().NonRecursive = true; continue;
                    default: throw new FormatException($"invalid field '{field}' must be a key=value pair");
                }
            }
            var (key, val) = (field[..eq], field[(eq + 1)..]);
            switch (key)
            {
                case "type": mount.Type = val.ToLowerInvariant(); break;
                case "source" or "src": mount.Source = val == "." || val.StartsWith("./", StringComparison.Ordinal) ? Path.GetFullPath(val) : val; break;
                case "target" or "dst" or "destination": mount.Target = val; break;
                case "readonly" or "ro": mount.ReadOnly = Bool(key, val); break;
                case "consistency": mount.Consistency = val.ToLowerInvariant(); break;
                case "bind-propagation": Bind().Propagation = val.ToLowerInvariant(); break;
                case "bind-nonrecursive": Bind().NonRecursive = Bool(key, val); break;
                case "volume-nocopy": Volume().NoCopy = Bool(key, val); break;
                case "volume-label": SetOnMap(Volume().Labels!, val); break;
                case "volume-driver": Volume().DriverConfig!.Name = val; break;
                case "volume-opt": SetOnMap(Volume().DriverConfig!.Options ??= [], val); break;
                case "tmpfs-size":
                    try
                    {
                        Tmpfs().SizeBytes = ValueParsers.RamInBytes(val);
                    }
                    catch (FormatException)
                    {
                        throw new FormatException($"invalid value for {key}: {val}");
                    }
                    break;
                case "tmpfs-mode":
                    try
                    {
                        Tmpfs().Mode = Convert.ToUInt32(val, 8);
                    }
                    catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                    {
                        throw new FormatException($"invalid value for {key}: {val}");
                    }
                    break;
                default:
                    throw new FormatException($"unexpected key '{key}' in '{field}'");
            }
        }
        if (string.IsNullOrEmpty(mount.Type)) throw new FormatException("type is required");
        if (string.IsNullOrEmpty(mount.Target)) throw new FormatException("target is required");
        if (mount.VolumeOptions is not null && mount.Type != "volume")
            throw new FormatException($"cannot mix 'volume-*' options with mount type '{mount.Type}'");
        if (mount.BindOptions is not null && mount.Type != "bind")
            throw new FormatException($"cannot mix 'bind-*' options with mount type '{mount.Type}'");
        if (mount.TmpfsOptions is not null && mount.Type != "tmpfs")
            throw new FormatException($"cannot mix 'tmpfs-*' options with mount type '{mount.Type}'");
        return mount;
    }

    private static bool Bool(string key, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new FormatException(key == "volume-nocopy" ? $"invalid value for volume-nocopy: {value}" : $"invalid value for {key}: {value}"),
    };

    private static void SetOnMap(Dictionary<string, string> map, string value)
    {
        var eq = value.IndexOf('=');
        var key = eq < 0 ? value : value[..eq];
        if (key.Length > 0) map[key] = eq < 0 ? "" : value[(eq + 1)..];
    }

    /// <summary>One CSV record, as Go's encoding/csv reads it: fields in double quotes may hold commas.</summary>
    private static List<string> SplitCsv(string value)
    {
        var fields = new List<string>();
        var current = new global::System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"' && quoted && i + 1 < value.Length && value[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
