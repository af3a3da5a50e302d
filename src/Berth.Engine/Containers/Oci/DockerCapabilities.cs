using Berth.Linux.Capabilities;

namespace Berth.Engine.Containers.Oci;

/// <summary>Docker's capability sets: the default 14, <c>--cap-add</c>/<c>--cap-drop</c> (with or without CAP_, any case, ALL), <c>--privileged</c>.</summary>
public static class DockerCapabilities
{
    public const string All = "ALL";

    /// <summary>Docker's defaults, in Docker's order.</summary>
    public static readonly IReadOnlyList<string> Default =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Every capability the running kernel knows (capabilities 0…lastCap), by name, in bit order.</summary>
    public static List<string> Available(int lastCapability) =>
        [.. CapabilityNames.All.Take(Math.Min(lastCapability + 1, CapabilityNames.All.Count))];

    /// <summary>
    /// Docker's TweakCapabilities. ALL in CapAdd gives every available capability but the dropped ones; ALL in CapDrop
    /// gives just the added ones; otherwise the defaults less the dropped, then the added.
    /// </summary>
    public static List<string> Resolve(IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop, bool privileged, int lastCapability)
    {
        var available = Available(lastCapability);
        if (privileged) return available;
        if (capAdd.Count == 0 && capDrop.Count == 0) return [.. Default];
        var drop = Normalize(capDrop, available);
        var add = Normalize(capAdd, available);
        List<string> caps;
        if (add.Contains(All)) caps = [.. available.Where(c => !drop.Contains(c))];
        else if (drop.Contains(All)) caps = add;
        else caps = [.. Default.Where(c => !drop.Contains(c)), .. add];
        return [.. caps.Distinct()];
    }

    /// <summary>Upper-cases and prefixes CAP_; unknown names and names the kernel lacks are InvalidArgument.</summary>
    public static List<string> Normalize(IEnumerable<string> names, IReadOnlyList<string> available)
    {
        var normalized = new List<string>();
        foreach (var raw in names)
        {
            var name = raw.ToUpperInvariant();
            if (name == All)
            {
                normalized.Add(name);
                continue;
            }
            if (!name.StartsWith("CAP_", StringComparison.Ordinal)) name = "CAP_" + name;
            if (!CapabilityNames.TryParse(name, out _))
                throw new EngineException(ErrorKind.InvalidArgument, $"unknown capability: \"{name}\"");
            if (!available.Contains(name))
                throw new EngineException(ErrorKind.InvalidArgument,
                    $"capability not supported by your kernel or not available in the current environment: \"{name}\"");
            normalized.Add(name);
        }
        return normalized;
    }
}
