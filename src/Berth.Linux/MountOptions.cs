namespace Berth.Linux;

/// <summary>
/// Mount options as mount(8) reads them (an OCI mount's options, a local volume's <c>o=</c>), split the way mount(2)
/// takes them: flags, propagation, and the filesystem's data string.
/// </summary>
public sealed record MountOptions(MountFlags Flags, MountFlags Propagation, string Data)
{
    public bool IsBind => Flags.HasFlag(MountFlags.Bind);
    public bool IsRecursive => Flags.HasFlag(MountFlags.Rec);

    /// <summary>Flags a bind mount needs a second, remounting mount(2) call for: bind ignores them on the first.</summary>
    public MountFlags RemountFlags => Flags & ~(MountFlags.Bind | MountFlags.Rec | MountFlags.Remount);

    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> Known = new()
    {
        ["async"] = (true, MountFlags.Synchronous),
        ["atime"] = (true, MountFlags.NoAtime),
        ["bind"] = (false, MountFlags.Bind),
        ["defaults"] = (false, MountFlags.None),
        ["dev"] = (true, MountFlags.NoDev),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["exec"] = (true, MountFlags.NoExec),
        ["mand"] = (false, MountFlags.MandLock),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["nodev"] = (false, MountFlags.NoDev),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["noexec"] = (false, MountFlags.NoExec),
        ["nomand"] = (true, MountFlags.MandLock),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["nostrictatime"] = (true, MountFlags.StrictAtime),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["nosymfollow"] = (false, MountFlags.NoSymFollow),
        ["rbind"] = (false, MountFlags.Bind | MountFlags.Rec),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["remount"] = (false, MountFlags.Remount),
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["suid"] = (true, MountFlags.NoSuid),
        ["sync"] = (false, MountFlags.Synchronous),
        ["lazytime"] = (false, MountFlags.LazyTime),
        ["nolazytime"] = (true, MountFlags.LazyTime),
    };

    private static readonly Dictionary<string, MountFlags> PropagationOptions = new()
    {
        ["private"] = MountFlags.Private,
        ["rprivate"] = MountFlags.Private | MountFlags.Rec,
        ["shared"] = MountFlags.Shared,
        ["rshared"] = MountFlags.Shared | MountFlags.Rec,
        ["slave"] = MountFlags.Slave,
        ["rslave"] = MountFlags.Slave | MountFlags.Rec,
        ["unbindable"] = MountFlags.Unbindable,
        ["runbindable"] = MountFlags.Unbindable | MountFlags.Rec,
    };

    /// <summary>Options every runtime accepts, for <c>features</c>.</summary>
    public static IEnumerable<string> Supported => Known.Keys.Concat(PropagationOptions.Keys).Order();

    public static MountOptions Parse(IEnumerable<string>? options, string? type = null)
    {
        var flags = type == "bind" ? MountFlags.Bind : MountFlags.None;
        var propagation = MountFlags.None;
        var data = new List<string>();
        foreach (var option in options ?? [])
        {
            if (Known.TryGetValue(option, out var known))
                flags = known.Clear ? flags & ~known.Flag : flags | known.Flag;
            else if (PropagationOptions.TryGetValue(option, out var p))
                propagation = p;
            else if (option is "tmpcopyup")
                continue; // only meaningful to runtimes that copy image content up; tmpfs here starts empty
            else
                data.Add(option);
        }
        return new MountOptions(flags, propagation, string.Join(',', data));
    }

    /// <summary>A propagation's name (<c>rslave</c>, <c>private</c>…) as flags.</summary>
    public static bool TryParsePropagation(string value, out MountFlags propagation) => PropagationOptions.TryGetValue(value, out propagation);
}
