using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Reads the statistics files of a cgroup directory, leniently: a directory that is not there (controller not
/// mounted), a file that is not there (older kernel, other cgroup version), a cgroup removed meanwhile, or a value
/// that is not a number all read as "nothing", so a stats sample never fails on what the host lacks.
/// </summary>
internal static class CgroupStatFiles
{
    private const ulong V1Unlimited = long.MaxValue - (1 << 20);

    /// <summary>The text of the file, or null.</summary>
    public static string? Read(CgroupDirectory? dir, string name)
    {
        if (dir is not { } directory) return null;
        try
        {
            return directory.FileSystem.ReadFile(directory.FileOf(name));
        }
        catch (Exception e) when (CgroupException.IsFileSystemError(e))
        {
            return null;
        }
    }

    /// <summary>A file holding one number, or 0.</summary>
    public static ulong Number(CgroupDirectory? dir, string name) => Parse(Read(dir, name)?.Trim()) ?? 0;

    /// <summary>
    /// A limit file: the number, or null for "max" (v2, pids), for v1's "unlimited" (LONG_MAX rounded down to a page,
    /// so anything within 1 MiB of it) and for a file that is not there.
    /// </summary>
    public static ulong? Limit(CgroupDirectory? dir, string name) =>
        Parse(Read(dir, name)?.Trim()) is { } value && value < V1Unlimited ? value : null;

    /// <summary>A flat-keyed file ("key value" per line: memory.stat, cpu.stat, cpuacct.stat), in file order.</summary>
    public static IReadOnlyDictionary<string, ulong> KeyValues(CgroupDirectory? dir, string name)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in Lines(Read(dir, name)))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && Parse(fields[1]) is { } value) values[fields[0]] = value;
        }
        return values;
    }

    /// <summary>A file of space-separated numbers (cpuacct.usage_percpu).</summary>
    public static IReadOnlyList<ulong> Numbers(CgroupDirectory? dir, string name) =>
        [.. (Read(dir, name) ?? "").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(f => Parse(f) ?? 0)];

    public static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"8:16" → (8, 16), or null.</summary>
    public static (ulong Major, ulong Minor)? Device(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0 || Parse(text[..colon]) is not { } major || Parse(text[(colon + 1)..]) is not { } minor) return null;
        return (major, minor);
    }

    public static ulong? Parse(string? text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
