namespace Berth.EndToEnd.Tests;

/// <summary>What the host's process table and cgroup tree say of a container: its shims, whether a pid lives, its cgroups.</summary>
internal static class HostProcesses
{
    /// <summary>The berth-shim processes supervising container <paramref name="id"/>.</summary>
    public static List<int> ShimPids(string id)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (args.Length > 2 && args[0].EndsWith("berth-shim", StringComparison.Ordinal) && args.Contains(id)) pids.Add(pid);
        }
        return pids;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The cgroup directories (every hierarchy) that hold <paramref name="pid"/>.</summary>
    public static List<string> CgroupDirectories(int pid)
    {
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' '))
            .Where(f => f[^3] is "cgroup" or "cgroup2").ToList();
        var result = new List<string>();
        foreach (var line in File.ReadAllLines($"/proc/{pid}/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts[2] == "/") continue;
            var controllers = parts[1].Split(',');
            var mount = mounts.FirstOrDefault(m => parts[1].Length == 0
                ? m[^3] == "cgroup2"
                : m[^3] == "cgroup" && m[^1].Split(',').Intersect(controllers).Any());
            if (mount is not null) result.Add(mount[4] + parts[2]);
        }
        return result.Where(Directory.Exists).ToList();
    }
}
