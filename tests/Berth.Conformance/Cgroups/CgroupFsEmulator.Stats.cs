using System.Globalization;

namespace Berth.Conformance.Cgroups;

/// <summary>
/// The emulator's usage counters: every cgroup starts with the statistics files of its controllers at zero,
/// pids.current is counted from cgroup.procs when read, and <see cref="Charge"/> accounts work done by a process to
/// the cgroup it is in and that cgroup's ancestors, as the kernel charges hierarchically.
/// </summary>
public sealed partial class CgroupFsEmulator
{
    private const ulong NanosecondsPerTick = 10_000_000;

    /// <summary>The process used <paramref name="cpuNanoseconds"/> of CPU (as user time) and now holds
    /// <paramref name="memoryBytes"/> more of anonymous memory.</summary>
    public void Charge(int pid, ulong memoryBytes, ulong cpuNanoseconds)
    {
        lock (_gate)
        {
            foreach (var mount in _mounts.Values)
            {
                var home = Directory.EnumerateFiles(mount.MountPoint, "cgroup.procs", SearchOption.AllDirectories)
                    .FirstOrDefault(procs => ReadLines(procs).Contains(Pid(pid)));
                if (home is null) continue;
                var cgroup = Path.GetDirectoryName(home)!;
                for (var dir = cgroup; ; dir = Path.GetDirectoryName(dir)!)
                {
                    ChargeLevel(dir, memoryBytes, cpuNanoseconds, own: dir == cgroup);
                    if (dir == mount.MountPoint) break;
                }
            }
        }
    }

    private static void ChargeLevel(string dir, ulong memory, ulong cpu, bool own)
    {
        // v1
        var usage = Add(dir, "memory.usage_in_bytes", memory);
        if (usage is { } bytes) Update(dir, "memory.max_usage_in_bytes", peak => Math.Max(peak, bytes));
        if (own) AddKey(dir, "memory.stat", "rss", memory);
        AddKey(dir, "memory.stat", "total_rss", memory);
        Add(dir, "cpuacct.usage", cpu);
        if (File.Exists(Path.Combine(dir, "cpuacct.usage_percpu")))
        {
            var perCpu = Words(File.ReadAllText(Path.Combine(dir, "cpuacct.usage_percpu"))).Select(ulong.Parse).ToArray();
            perCpu[0] += cpu;
            File.WriteAllText(Path.Combine(dir, "cpuacct.usage_percpu"), string.Join(' ', perCpu) + " \n");
        }
        AddKey(dir, "cpuacct.stat", "user", cpu / NanosecondsPerTick);
        // v2
        var current = Add(dir, "memory.current", memory);
        if (current is { } v2Bytes) Update(dir, "memory.peak", peak => Math.Max(peak, v2Bytes));
        AddKey(dir, "memory.stat", "anon", memory);
        AddKey(dir, "cpu.stat", "usage_usec", cpu / 1000);
        AddKey(dir, "cpu.stat", "user_usec", cpu / 1000);
    }

    private static void SeedV1Stats(string dir, string controller, bool isRoot)
    {
        switch (controller)
        {
            case "memory":
                Seed(dir, "memory.max_usage_in_bytes", "0");
                Seed(dir, "memory.failcnt", "0");
                Seed(dir, "memory.stat", "cache 0\nrss 0\ntotal_cache 0\ntotal_rss 0");
                break;
            case "cpu":
                Seed(dir, "cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0");
                break;
            case "cpuacct":
                Seed(dir, "cpuacct.usage", "0");
                Seed(dir, "cpuacct.usage_percpu", "0 0 0 0 ");
                Seed(dir, "cpuacct.stat", "user 0\nsystem 0");
                break;
            case "pids" when !isRoot:
                Seed(dir, "pids.current", "0");
                break;
            case "blkio" when !isRoot:
                Seed(dir, "blkio.throttle.io_service_bytes_recursive", "Total 0");
                break;
        }
    }

    /// <summary>A null controller seeds the core files every non-root cgroup2 directory has.</summary>
    private static void SeedV2Stats(string dir, string? controller)
    {
        switch (controller)
        {
            case null:
                foreach (var key in (string[])["usage_usec", "user_usec", "system_usec"]) AddKey(dir, "cpu.stat", key, 0, create: true);
                break;
            case "cpu":
                foreach (var key in (string[])["nr_periods", "nr_throttled", "throttled_usec"]) AddKey(dir, "cpu.stat", key, 0, create: true);
                break;
            case "memory":
                Seed(dir, "memory.current", "0");
                Seed(dir, "memory.peak", "0");
                Seed(dir, "memory.stat", "anon 0\nfile 0");
                break;
            case "io":
                Seed(dir, "io.stat", "");
                break;
            case "pids":
                Seed(dir, "pids.current", "0");
                break;
        }
    }

    /// <summary>Every process in the directory of this pids.current and below it.</summary>
    private static string PidsCurrent(string path) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "cgroup.procs", SearchOption.AllDirectories)
            .Sum(procs => ReadLines(procs).Count()).ToString(CultureInfo.InvariantCulture) + "\n";

    /// <summary>Adds to a one-number file if the directory has it; returns the new value.</summary>
    private static ulong? Add(string dir, string file, ulong delta) => Update(dir, file, value => value + delta);

    private static ulong? Update(string dir, string file, Func<ulong, ulong> change)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) return null;
        var value = change(ulong.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture));
        File.WriteAllText(path, value.ToString(CultureInfo.InvariantCulture) + "\n");
        return value;
    }

    /// <summary>Adds to the "key value" line of a flat-keyed file, if the file has the key (or, with
    /// <paramref name="create"/>, makes the file and the line).</summary>
    private static void AddKey(string dir, string file, string key, ulong delta, bool create = false)
    {
        var path = Path.Combine(dir, file);
        if (!create && !File.Exists(path)) return;
        var lines = File.Exists(path) ? ReadLines(path).ToList() : [];
        var index = lines.FindIndex(l => l.StartsWith(key + " ", StringComparison.Ordinal));
        if (index < 0 && !create) return;
        if (index < 0) lines.Add($"{key} {delta.ToString(CultureInfo.InvariantCulture)}");
        else lines[index] = $"{key} {(ulong.Parse(lines[index][(key.Length + 1)..], CultureInfo.InvariantCulture) + delta).ToString(CultureInfo.InvariantCulture)}";
        File.WriteAllLines(path, lines);
    }
}
