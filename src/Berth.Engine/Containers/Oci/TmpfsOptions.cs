namespace Berth.Engine.Containers.Oci;

/// <summary>
/// <c>--tmpfs /dst:opts</c> as Docker mounts it: its defaults <c>noexec,nosuid,nodev,rprivate</c> followed by the
/// user's options, merged so that a later option wins over an earlier one of the same kind (moby/sys/mount's
/// MergeTmpfsOptions): <c>exec</c> undoes <c>noexec</c>, one propagation mode, one <c>size=</c>.
/// </summary>
public static class TmpfsOptions
{
    public static readonly IReadOnlyList<string> Defaults = ["noexec", "nosuid", "nodev", "rprivate"];

    // Flag options, keyed by the mount flag they set or clear (options sharing a key collide).
    private static readonly Dictionary<string, string> FlagKeys = new(StringComparer.Ordinal)
    {
        ["ro"] = "rdonly", ["rw"] = "rdonly", ["suid"] = "nosuid", ["nosuid"] = "nosuid", ["dev"] = "nodev", ["nodev"] = "nodev",
        ["exec"] = "noexec", ["noexec"] = "noexec", ["sync"] = "sync", ["async"] = "sync", ["dirsync"] = "dirsync",
        ["remount"] = "remount", ["mand"] = "mand", ["nomand"] = "mand", ["atime"] = "noatime", ["noatime"] = "noatime",
        ["diratime"] = "nodiratime", ["nodiratime"] = "nodiratime", ["relatime"] = "relatime", ["norelatime"] = "relatime",
        ["strictatime"] = "strictatime", ["nostrictatime"] = "strictatime",
        ["bind"] = "propagation", ["rbind"] = "propagation", ["unbindable"] = "propagation", ["runbindable"] = "propagation",
        ["private"] = "propagation", ["rprivate"] = "propagation", ["shared"] = "propagation", ["rshared"] = "propagation",
        ["slave"] = "propagation", ["rslave"] = "propagation",
    };

    private static readonly HashSet<string> DataKeys = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol"];

    /// <summary>The mount options for one tmpfs; <paramref name="data"/> is the user's comma-separated list (may be empty).</summary>
    public static List<string> For(string data) =>
        Merge([.. Defaults, .. data.Length == 0 ? [] : data.Split(',')]);

    public static List<string> Merge(IReadOnlyList<string> options)
    {
        var seenFlags = new HashSet<string>();
        var seenData = new HashSet<string>();
        var merged = new List<string>();
        for (var i = options.Count - 1; i >= 0; i--) // the last of a kind wins; the result keeps the original order
        {
            var option = options[i];
            if (option == "defaults") continue;
            if (FlagKeys.TryGetValue(option, out var key))
            {
                if (seenFlags.Add(key)) merged.Insert(0, option);
                continue;
            }
            var eq = option.IndexOf('=');
            var name = eq < 0 ? option : option[..eq];
            if (eq < 0 || !DataKeys.Contains(name))
                throw new EngineException(ErrorKind.InvalidArgument, $"invalid tmpfs option \"{name}\"");
            if (seenData.Add(name)) merged.Insert(0, option);
        }
        return merged;
    }
}
