using System.Globalization;
using OciUser = Berth.Oci.Runtime.User;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// Resolves Docker's <c>--user</c> (<c>""</c>, <c>name</c>, <c>uid</c>, <c>name:group</c>, <c>uid:gid</c>) and
/// <c>--group-add</c> against the image's own /etc/passwd and /etc/group, with the rules and messages of
/// moby/sys/user: the first matching entry wins; a numeric uid or gid need not exist (gid 0 then); supplementary groups
/// come from group membership only when no group is given explicitly. The spec's additional gids are Docker's:
/// the primary gid, the supplementary ones, then the added ones.
/// </summary>
public static class UserResolver
{
    private const int MaxId = int.MaxValue;

    /// <summary>Reads passwd and group inside the rootfs (never following a link out of it).</summary>
    public static OciUser Resolve(string rootfsPath, string? userSpec, IReadOnlyList<string> groupAdd) =>
        Resolve(RootfsFiles.ReadText(rootfsPath, "/etc/passwd"), RootfsFiles.ReadText(rootfsPath, "/etc/group"), userSpec, groupAdd);

    /// <summary>Resolves against file contents; null stands for a missing file.</summary>
    public static OciUser Resolve(string? passwd, string? group, string? userSpec, IReadOnlyList<string> groupAdd)
    {
        var spec = (userSpec ?? "").Split(':');
        var userArg = spec[0];
        var groupArg = spec.Length > 1 ? spec[1] : "";
        var (uidArg, isUid) = Numeric(userArg);
        var (gidArg, isGid) = Numeric(groupArg);

        int uid = 0, gid = 0;
        string? matchedName = null;
        var users = PasswdEntries(passwd).Where(u => userArg.Length == 0 ? u.Uid == 0 : isUid ? u.Uid == uidArg : u.Name == userArg);
        if (users.FirstOrDefault() is { } user)
        {
            (matchedName, uid, gid) = (user.Name, user.Uid, user.Gid);
        }
        else if (userArg.Length > 0)
        {
            if (!isUid) throw new EngineException(ErrorKind.InvalidArgument, $"unable to find user {userArg}: no matching entries in passwd file");
            uid = uidArg;
        }

        var supplementary = new List<int>();
        if (groupArg.Length > 0)
        {
            var match = GroupEntries(group).FirstOrDefault(g => isGid ? g.Gid == gidArg : g.Name == groupArg);
            if (match is not null) gid = match.Gid;
            else if (isGid) gid = gidArg;
            else throw new EngineException(ErrorKind.InvalidArgument, $"unable to find group {groupArg}: no matching entries in group file");
        }
        else if (matchedName is not null)
        {
            supplementary.AddRange(GroupEntries(group).Where(g => g.Members.Contains(matchedName)).Select(g => g.Gid));
        }

        List<uint> additional = [(uint)gid, .. supplementary.Select(g => (uint)g), .. AdditionalGroups(group, groupAdd).Select(g => (uint)g)];
        return new OciUser { Uid = (uint)uid, Gid = (uint)gid, AdditionalGids = additional };
    }

    /// <summary>Docker's GetAdditionalGroups: each name or number once; a number need not exist, a name must.</summary>
    public static List<int> AdditionalGroups(string? group, IReadOnlyList<string> groupAdd)
    {
        var entries = groupAdd.Count == 0 ? [] : GroupEntries(group).ToList();
        var gids = new List<int>();
        foreach (var name in groupAdd)
        {
            var (number, isNumber) = Numeric(name);
            var match = entries.FirstOrDefault(g => isNumber ? g.Gid == number : g.Name == name);
            int gid;
            if (match is not null) gid = match.Gid;
            else if (isNumber) gid = number;
            else throw new EngineException(ErrorKind.InvalidArgument, $"unable to find group {name}: no matching entries in group file");
            if (!gids.Contains(gid)) gids.Add(gid);
        }
        return gids;
    }

    private sealed record PasswdEntry(string Name, int Uid, int Gid);

    private sealed record GroupEntry(string Name, int Gid, string[] Members);

    private static IEnumerable<PasswdEntry> PasswdEntries(string? text) =>
        Lines(text).Select(f => new PasswdEntry(f[0], Field(f, 2), Field(f, 3)));

    private static IEnumerable<GroupEntry> GroupEntries(string? text) =>
        Lines(text).Select(f => new GroupEntry(f[0], Field(f, 2),
            f.Length > 3 && f[3].Length > 0 ? f[3].Split(',') : []));

    /// <summary>The colon-separated fields of each non-blank, non-comment line.</summary>
    private static IEnumerable<string[]> Lines(string? text)
    {
        if (text is null) yield break;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            yield return line.Split(':');
        }
    }

    // A field that is not a number reads as 0, as moby/sys/user's parser does.
    private static int Field(string[] fields, int index) =>
        fields.Length > index && int.TryParse(fields[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>moby/sys/user's parseNumeric: not a number is (0, false); a number outside 0…2³¹−1 is an error.</summary>
    private static (int Value, bool IsNumber) Numeric(string text)
    {
        if (text.Length == 0 || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return (0, false);
        if (value is < 0 or > MaxId)
            throw new EngineException(ErrorKind.InvalidArgument, $"uids and gids must be in range 0-{MaxId}");
        return ((int)value, true);
    }
}
