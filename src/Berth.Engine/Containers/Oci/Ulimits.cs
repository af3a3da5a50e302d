using Berth.Engine.Containers.Model;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers.Oci;

/// <summary><c>--ulimit name=soft[:hard]</c> → <c>process.rlimits</c> (<c>nofile</c> → <c>RLIMIT_NOFILE</c>); -1 is unlimited.</summary>
public static class Ulimits
{
    /// <summary>The names Docker accepts (go-units; <c>as</c> is deliberately absent there).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime",
        "sigpending", "stack",
    ];

    public static List<PosixRlimit>? ToRlimits(IReadOnlyList<Ulimit> ulimits)
    {
        if (ulimits.Count == 0) return null;
        var rlimits = new List<PosixRlimit>();
        foreach (var u in ulimits)
        {
            Validate(u);
            rlimits.Add(new PosixRlimit { Type = "RLIMIT_" + u.Name.ToUpperInvariant(), Soft = unchecked((ulong)u.Soft), Hard = unchecked((ulong)u.Hard) });
        }
        return rlimits;
    }

    /// <summary>Docker's merge of the daemon's <c>--default-ulimit</c>s: a container's own ulimit of the same name wins.</summary>
    public static HostConfig WithDefaults(HostConfig host, IReadOnlyList<Ulimit> defaults) => defaults.Count == 0 ? host : host with
    {
        Resources = host.Resources with
        {
            Ulimits = [.. host.Resources.Ulimits, .. defaults.Where(d => host.Resources.Ulimits.All(u => u.Name != d.Name))],
        },
    };

    public static void Validate(Ulimit u)
    {
        if (!Names.Contains(u.Name)) throw new EngineException(ErrorKind.InvalidArgument, $"invalid ulimit type: {u.Name}");
        if (u.Hard == -1) return;
        if (u.Soft == -1)
            throw new EngineException(ErrorKind.InvalidArgument, $"ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: {u.Hard}");
        if (u.Soft > u.Hard)
            throw new EngineException(ErrorKind.InvalidArgument, $"ulimit soft limit must be less than or equal to hard limit: {u.Soft} > {u.Hard}");
    }
}
