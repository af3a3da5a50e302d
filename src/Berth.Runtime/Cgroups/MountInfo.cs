using System.Text;

namespace Berth.Runtime.Cgroups;

/// <summary>The cgroup mounts of a /proc/&lt;pid&gt;/mountinfo table.</summary>
internal static class MountInfo
{
    internal sealed record CgroupMount(string Device, string MountPoint, string FsType, IReadOnlyList<string> SuperOptions);

    // Superblock options of a v1 cgroup mount that are not controllers (see cgroup_parse_param in kernel/cgroup).
    private static readonly HashSet<string> NonControllerOptions =
        ["rw", "ro", "none", "noprefix", "xattr", "clone_children", "cpuset_v2_mode", "favordynmods"];

    /// <summary>
    /// Lines look like
    /// <code>
    /// 32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
    /// id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
    /// </code>
    /// </summary>
    public static IEnumerable<CgroupMount> ParseCgroupMounts(string mountInfo)
    {
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            var separator = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
            if (separator < 0 || separator + 1 >= fields.Length) continue;
            var fsType = fields[separator + 1];
            if (fsType is not ("cgroup" or "cgroup2")) continue;
            var superOptions = separator + 3 < fields.Length ? fields[separator + 3].Split(',') : [];
            yield return new CgroupMount(fields[2], Unescape(fields[4]), fsType, superOptions);
        }
    }

    public static (IReadOnlyList<string> Controllers, string? Name) ControllersOf(IReadOnlyList<string> superOptions)
    {
        var controllers = new List<string>();
        string? name = null;
        foreach (var option in superOptions)
        {
            if (option.StartsWith("name=", StringComparison.Ordinal)) name = option["name=".Length..];
            else if (!option.Contains('=') && !NonControllerOptions.Contains(option) && option.Length > 0) controllers.Add(option);
        }
        return (controllers, name);
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var sb = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(field[i]);
        }
        return sb.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
