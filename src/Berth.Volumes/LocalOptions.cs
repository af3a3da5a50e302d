using Berth.Linux;

namespace Berth.Volumes;

/// <summary>
/// The local driver's options (<c>docker volume create -o type=tmpfs -o device=tmpfs -o o=size=10m</c>): a volume with
/// a <c>type</c> or a <c>device</c> is a mount of that device on its <c>_data</c>, with <c>o</c>'s mount options.
/// </summary>
public sealed record LocalOptions(string Type, string Device, string MountOptions)
{
    private static readonly string[] Known = ["type", "o", "device", "size"];

    private static readonly (string Option, string[] Requires)[] Mandatory =
    [
        ("device", ["type"]),
        ("type", ["device"]),
        ("o", ["device", "type"]),
    ];

    /// <summary>Whether the volume's storage is a mount (otherwise a plain directory).</summary>
    public bool NeedsMount => Type.Length > 0 || Device.Length > 0;

    /// <summary>Validates the options as moby's local driver does (its texts); no options is a plain directory.</summary>
    public static LocalOptions Parse(IReadOnlyDictionary<string, string> options)
    {
        foreach (var key in options.Keys.Order(StringComparer.Ordinal))
            if (!Known.Contains(key)) throw new VolumeException($"invalid option: \"{key}\"", true);
        if (options.ContainsKey("size"))
            throw new VolumeException("quota size requested but no quota support", true);
        foreach (var (option, requires) in Mandatory)
        {
            if (!options.ContainsKey(option)) continue;
            foreach (var required in requires)
                if (!options.ContainsKey(required)) throw new VolumeException($"missing required option: \"{required}\"", true);
        }
        return new LocalOptions(options.GetValueOrDefault("type", ""), options.GetValueOrDefault("device", ""), options.GetValueOrDefault("o", ""));
    }

    /// <summary>
    /// <c>o</c> split as mount(8) does: the words that are mount flags (<c>ro</c>, <c>bind</c>, <c>nosuid</c>…), the
    /// propagation to set afterwards, and the rest, handed to the filesystem as data (<c>size=10m,uid=1000</c>).
    /// </summary>
    public Linux.MountOptions SplitMountOptions() => Linux.MountOptions.Parse(MountOptions.Split(',', StringSplitOptions.RemoveEmptyEntries));
}
