using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime;

/// <summary>The spec's namespaces as the kernel takes them: flags to unshare, and paths to join.</summary>
public sealed record NamespacePlan(CloneFlags New, IReadOnlyList<(CloneFlags Type, string Path)> Join)
{
    private static readonly Dictionary<string, CloneFlags> Types = new()
    {
        [NamespaceTypes.Pid] = CloneFlags.NewPid,
        [NamespaceTypes.Network] = CloneFlags.NewNet,
        [NamespaceTypes.Mount] = CloneFlags.NewNs,
        [NamespaceTypes.Ipc] = CloneFlags.NewIpc,
        [NamespaceTypes.Uts] = CloneFlags.NewUts,
        [NamespaceTypes.Cgroup] = CloneFlags.NewCgroup,
        [NamespaceTypes.User] = CloneFlags.NewUser,
        [NamespaceTypes.Time] = CloneFlags.NewTime,
    };

    public static IEnumerable<string> Supported => Types.Keys.Where(t => t is not (NamespaceTypes.User or NamespaceTypes.Time));

    /// <summary>The /proc/PID/ns file names, in the order setns joins them (mnt last: it changes the root).</summary>
    public static readonly (string File, CloneFlags Type)[] ProcFiles =
    [
        ("cgroup", CloneFlags.NewCgroup), ("ipc", CloneFlags.NewIpc), ("uts", CloneFlags.NewUts), ("net", CloneFlags.NewNet),
        ("pid", CloneFlags.NewPid), ("mnt", CloneFlags.NewNs),
    ];

    public bool Has(CloneFlags type) => New.HasFlag(type) || Join.Any(j => j.Type == type);

    public static NamespacePlan From(Spec spec)
    {
        var fresh = CloneFlags.None;
        var join = new List<(CloneFlags, string)>();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            if (!Types.TryGetValue(ns.Type, out var flag)) throw new RuntimeException($"namespace type \"{ns.Type}\" is not supported");
            if (flag is CloneFlags.NewUser or CloneFlags.NewTime)
                throw new RuntimeException($"{ns.Type} namespaces are not supported by berth-runtime yet");
            if ((fresh & flag) != 0 || join.Any(j => j.Item1 == flag)) throw new RuntimeException($"duplicate namespace type \"{ns.Type}\"");
            if (string.IsNullOrEmpty(ns.Path)) fresh |= flag;
            else join.Add((flag, ns.Path));
        }
        // The rootfs is built by mounting inside the container's own mount namespace; never in one that others share.
        if (!fresh.HasFlag(CloneFlags.NewNs))
            throw new RuntimeException("a new mount namespace is required (linux.namespaces needs \"mount\" without a path)");
        return new NamespacePlan(fresh, join);
    }
}
