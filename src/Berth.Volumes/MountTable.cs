namespace Berth.Volumes;

/// <summary>Reads <c>/proc/self/mountinfo</c> (or a copy, in tests): which paths are mount points now.</summary>
public static class MountTable
{
    public const string SelfMountInfo = "/proc/self/mountinfo";

    /// <summary>Whether <paramref name="path"/> is the mount point of at least one mount.</summary>
    public static bool IsMountPoint(string path, string mountInfo = SelfMountInfo)
    {
        var target = Path.TrimEndingDirectorySeparator(path);
        foreach (var line in File.ReadLines(mountInfo))
        {
            // id parent major:minor root mountpoint options… — the fifth field, with spaces escaped as \040.
            var fields = line.Split(' ', 6);
            if (fields.Length >= 5 && Unescape(fields[4]) == target) return true;
        }
        return false;
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var result = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && !field.AsSpan(i + 1, 3).ContainsAnyExcept("01234567"))
            {
                result.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }
        return result.ToString();
    }
}
