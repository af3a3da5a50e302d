using System.Globalization;
using Berth.Linux;
using Berth.Runtime.Cgroups;

namespace Berth.Conformance.Cgroups;

/// <summary>
/// A temp directory that behaves like cgroupfs for what the managers do: mkdir brings the control files (v2: those of
/// the controllers the parent delegates), rmdir takes them away and is EBUSY while processes or children remain,
/// cgroup.procs moves a process within its hierarchy, and the kernel's checks the managers rely on are enforced
/// (memsw ≥ limit, cpuset within the parent, subtree_control only with available controllers, freezer states).
/// Failures are the exceptions .NET raises on the host: an IOException whose HResult is the errno.
/// <code>
/// {Root}/mountinfo                       the table CgroupLayout.Detect reads
/// {Root}/fs/{controller}/…               v1 hierarchies (cpu, cpuacct, cpuset, memory, devices, freezer, blkio, pids, systemd)
/// {Root}/fs/unified/…                    the controller-less cgroup2 of a hybrid host
/// {Root}/fs/…                            the cgroup2 root of a v2 host
/// </code>
/// </summary>
public sealed partial class CgroupFsEmulator : ICgroupFileSystem, IDisposable
{
    private const string Unlimited = "9223372036854771712";
    private static readonly string[] V1Controllers = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"];
    private static readonly string[] V2Controllers = ["cpuset", "cpu", "io", "memory", "pids"];

    private readonly Dictionary<string, Mount> _mounts = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _busyRemovals;

    private CgroupFsEmulator(bool v1, bool unified, bool swapAccounting)
    {
        Root = Directory.CreateTempSubdirectory("berth-cgroupfs-").FullName;
        SwapAccounting = swapAccounting;
        var fs = Path.Combine(Root, "fs");
        Directory.CreateDirectory(fs);
        var lines = new List<string>();
        if (v1)
        {
            foreach (var controller in V1Controllers) AddMount(Path.Combine(fs, controller), [controller], lines);
            AddMount(Path.Combine(fs, "systemd"), [], lines, name: "systemd");
        }
        if (unified) AddMount(v1 ? Path.Combine(fs, "unified") : fs, v1 ? [] : V2Controllers, lines, v2: true);
        MountInfoPath = Path.Combine(Root, "mountinfo");
        File.WriteAllLines(MountInfoPath, lines);
        Layout = CgroupLayout.Detect(MountInfoPath);
    }

    public static CgroupFsEmulator V1(bool swapAccounting = true) => new(v1: true, unified: false, swapAccounting);

    public static CgroupFsEmulator V2() => new(v1: false, unified: true, swapAccounting: true);

    public static CgroupFsEmulator Hybrid() => new(v1: true, unified: true, swapAccounting: true);

    public string Root { get; }

    public string MountInfoPath { get; }

    public CgroupLayout Layout { get; }

    public bool SwapAccounting { get; }

    /// <summary>Every successful write, in order: (file, value).</summary>
    public List<(string File, string Value)> Writes { get; } = [];

    /// <summary>Makes the next rmdirs fail with EBUSY, as the kernel does while a killed process is still exiting.</summary>
    public void FailNextRemovalsWithBusy(int count) => _busyRemovals = count;

    /// <summary>The process leaves every cgroup (it exited).</summary>
    public void Exit(int pid)
    {
        lock (_gate)
        {
            foreach (var procs in Directory.EnumerateFiles(Path.Combine(Root, "fs"), "cgroup.procs", SearchOption.AllDirectories))
                File.WriteAllLines(procs, ReadLines(procs).Where(p => p != Pid(pid)));
        }
    }

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public bool FileExists(string path) => File.Exists(path);

    public IReadOnlyList<string> GetDirectories(string path) => Directory.GetDirectories(path);

    public string ReadFile(string path)
    {
        lock (_gate) return Path.GetFileName(path) == "pids.current" && File.Exists(path) ? PidsCurrent(path) : File.ReadAllText(path);
    }

    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            if (Directory.Exists(path)) return;
            var parent = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(parent)) throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            var mount = MountOf(path) ?? throw Fail(Errno.EACCES, path);
            Directory.CreateDirectory(path);
            Populate(mount, path, isRoot: false);
        }
    }

    public void RemoveDirectory(string path)
    {
        lock (_gate)
        {
            if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            if (_mounts.ContainsKey(path) || Directory.GetDirectories(path).Length > 0 || ReadLines(Path.Combine(path, "cgroup.procs")).Any())
                throw Fail(Errno.EBUSY, path);
            if (_busyRemovals > 0)
            {
                _busyRemovals--;
                throw Fail(Errno.EBUSY, path);
            }
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>The device programs attached, by cgroup directory: as the kernel, only a cgroup2 directory takes one.</summary>
    public Dictionary<string, ulong[]> DeviceFilters { get; } = [];

    public void SetDeviceFilter(string path, ulong[] program)
    {
        lock (_gate)
        {
            if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            if (MountOf(path) is not { V2: true }) throw Fail(Errno.EBADF, path);
            DeviceFilters[path] = program;
        }
    }

    public void WriteFile(string path, string value)
    {
        lock (_gate)
        {
            if (Directory.Exists(path)) throw Fail(Errno.EISDIR, path);
            if (!File.Exists(path)) throw new FileNotFoundException($"Could not find file '{path}'.", path);
            var dir = Path.GetDirectoryName(path)!;
            var mount = MountOf(dir)!;
            var stored = Path.GetFileName(path) switch
            {
                "cgroup.procs" => MoveProcess(mount, dir, value),
                "cgroup.subtree_control" => SubtreeControl(dir, value),
                "cgroup.freeze" => Freeze(dir, value),
                "freezer.state" => value is "FROZEN" or "THAWED" ? value : throw Fail(Errno.EINVAL, path),
                "devices.allow" => Devices(dir, value, allow: true),
                "devices.deny" => Devices(dir, value, allow: false),
                "memory.limit_in_bytes" => MemoryLimit(dir, value, swap: false),
                "memory.memsw.limit_in_bytes" => MemoryLimit(dir, value, swap: true),
                "cpuset.cpus" or "cpuset.mems" => Cpuset(dir, Path.GetFileName(path), value),
                "cpu.shares" => Math.Clamp(Number(value, path), 2, 262144).ToString(CultureInfo.InvariantCulture),
                "pids.max" => value == "max" || Number(value, path) >= 0 ? value : throw Fail(Errno.EINVAL, path),
                _ => value.Trim(),
            };
            if (stored is not null) File.WriteAllText(path, stored + "\n");
            Writes.Add((path, value));
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void AddMount(string mountPoint, string[] controllers, List<string> lines, string? name = null, bool v2 = false)
    {
        Directory.CreateDirectory(mountPoint);
        var mount = new Mount(mountPoint, controllers, v2);
        _mounts[mountPoint] = mount;
        Populate(mount, mountPoint, isRoot: true);
        var id = 30 + lines.Count;
        var options = v2 ? "rw" : "rw," + string.Join(',', name is null ? controllers : [.. controllers, "name=" + name]);
        lines.Add($"{id} 29 0:{id} / {mountPoint} rw,nosuid,nodev,noexec,relatime shared:{id} - {(v2 ? "cgroup2" : "cgroup")} cgroup {options}");
    }

    private Mount? MountOf(string dir) =>
        _mounts.Values.Where(m => dir == m.MountPoint || dir.StartsWith(m.MountPoint + "/", StringComparison.Ordinal))
            .MaxBy(m => m.MountPoint.Length);

    private void Populate(Mount mount, string dir, bool isRoot)
    {
        Seed(dir, "cgroup.procs", "");
        if (mount.V2)
        {
            Seed(dir, "cgroup.controllers", isRoot ? string.Join(' ', mount.Controllers) : ReadFile(Path.Combine(Path.GetDirectoryName(dir)!, "cgroup.subtree_control")).Trim());
            Seed(dir, "cgroup.subtree_control", "");
            Seed(dir, "cgroup.max.descendants", "max");
            if (isRoot) return;
            Seed(dir, "cgroup.type", "domain");
            Seed(dir, "cgroup.freeze", "0");
            Seed(dir, "cgroup.events", "populated 0\nfrozen 0");
            SeedV2Stats(dir, controller: null);
            foreach (var controller in Words(ReadFile(Path.Combine(dir, "cgroup.controllers")))) SeedV2Controller(dir, controller);
            return;
        }
        Seed(dir, "tasks", "");
        Seed(dir, "notify_on_release", "0");
        foreach (var controller in mount.Controllers)
        {
            SeedV1Controller(dir, controller, isRoot);
            SeedV1Stats(dir, controller, isRoot);
        }
    }

    private void SeedV1Controller(string dir, string controller, bool isRoot)
    {
        switch (controller)
        {
            case "cpu":
                Seed(dir, "cpu.shares", "1024");
                Seed(dir, "cpu.cfs_period_us", "100000");
                Seed(dir, "cpu.cfs_quota_us", "-1");
                break;
            case "cpuset":
                Seed(dir, "cpuset.cpus", isRoot ? "0-3" : "");
                Seed(dir, "cpuset.mems", isRoot ? "0" : "");
                break;
            case "memory":
                Seed(dir, "memory.limit_in_bytes", Unlimited);
                Seed(dir, "memory.soft_limit_in_bytes", Unlimited);
                if (SwapAccounting) Seed(dir, "memory.memsw.limit_in_bytes", Unlimited);
                Seed(dir, "memory.usage_in_bytes", "0");
                Seed(dir, "memory.swappiness", "60");
                Seed(dir, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0");
                break;
            case "devices":
                Seed(dir, "devices.allow", "");
                Seed(dir, "devices.deny", "");
                Seed(dir, "devices.list", "a *:* rwm");
                break;
            case "freezer" when !isRoot:
                Seed(dir, "freezer.state", "THAWED");
                break;
            case "blkio" when !isRoot:
                Seed(dir, "blkio.bfq.weight", "100");
                break;
            case "pids" when !isRoot:
                Seed(dir, "pids.max", "max");
                break;
        }
    }

    private static void SeedV2Controller(string dir, string controller)
    {
        SeedV2Stats(dir, controller);
        switch (controller)
        {
            case "memory":
                Seed(dir, "memory.max", "max");
                Seed(dir, "memory.low", "0");
                Seed(dir, "memory.swap.max", "max");
                break;
            case "cpu":
                Seed(dir, "cpu.weight", "100");
                Seed(dir, "cpu.max", "max 100000");
                break;
            case "cpuset":
                Seed(dir, "cpuset.cpus", "");
                Seed(dir, "cpuset.mems", "");
                break;
            case "io":
                Seed(dir, "io.weight", "default 100");
                break;
            case "pids":
                Seed(dir, "pids.max", "max");
                break;
        }
    }

    private static void Seed(string dir, string file, string value)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) File.WriteAllText(path, value.Length == 0 ? "" : value + "\n");
    }

    private string? MoveProcess(Mount mount, string dir, string value)
    {
        var pid = Number(value, Path.Combine(dir, "cgroup.procs"));
        foreach (var procs in Directory.EnumerateFiles(mount.MountPoint, "cgroup.procs", SearchOption.AllDirectories))
        {
            File.WriteAllLines(procs, ReadLines(procs).Where(p => p != Pid(pid)));
        }
        File.AppendAllLines(Path.Combine(dir, "cgroup.procs"), [Pid(pid)]);
        return null;
    }

    private static string SubtreeControl(string dir, string value)
    {
        var available = Words(File.ReadAllText(Path.Combine(dir, "cgroup.controllers")));
        var enabled = Words(File.ReadAllText(Path.Combine(dir, "cgroup.subtree_control"))).ToList();
        foreach (var token in Words(value))
        {
            var controller = token[1..];
            if (!available.Contains(controller)) throw Fail(Errno.ENOENT, Path.Combine(dir, "cgroup.subtree_control"));
            if (token[0] == '+' && !enabled.Contains(controller)) enabled.Add(controller);
            if (token[0] == '-') enabled.Remove(controller);
        }
        foreach (var child in Directory.GetDirectories(dir))
        {
            File.WriteAllText(Path.Combine(child, "cgroup.controllers"), string.Join(' ', enabled) + "\n");
            foreach (var controller in enabled) SeedV2Controller(child, controller);
        }
        return string.Join(' ', enabled);
    }

    private static string Freeze(string dir, string value)
    {
        if (value is not ("0" or "1")) throw Fail(Errno.EINVAL, Path.Combine(dir, "cgroup.freeze"));
        var populated = File.ReadAllText(Path.Combine(dir, "cgroup.procs")).Trim().Length > 0 ? 1 : 0;
        File.WriteAllText(Path.Combine(dir, "cgroup.events"), $"populated {populated}\nfrozen {value}\n");
        return value;
    }

    /// <summary>devices.list as the kernel keeps it: a type-'a' rule resets to allow-all or deny-all, other rules add
    /// or remove exceptions.</summary>
    private static string? Devices(string dir, string rule, bool allow)
    {
        var listFile = Path.Combine(dir, "devices.list");
        var list = ReadLines(listFile).ToList();
        var allowAll = list.Contains("a *:* rwm");
        if (rule.StartsWith('a')) list = allow ? ["a *:* rwm"] : [];
        else if (allow != allowAll)
        {
            if (allow) list.Add(rule);
            else list.Remove(rule);
        }
        File.WriteAllLines(listFile, list);
        return null;
    }

    private string MemoryLimit(string dir, string value, bool swap)
    {
        var file = Path.Combine(dir, swap ? "memory.memsw.limit_in_bytes" : "memory.limit_in_bytes");
        var requested = Number(value, file);
        var bytes = requested == -1 ? long.Parse(Unlimited, CultureInfo.InvariantCulture) : requested;
        var other = Path.Combine(dir, swap ? "memory.limit_in_bytes" : "memory.memsw.limit_in_bytes");
        if (File.Exists(other))
        {
            var otherBytes = long.Parse(File.ReadAllText(other).Trim(), CultureInfo.InvariantCulture);
            if (swap ? bytes < otherBytes : bytes > otherBytes) throw Fail(Errno.EINVAL, file);
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A cpuset must stay within its parent's effective one: the nearest non-empty ancestor value (v2
    /// leaves cpuset.cpus empty to inherit), or the whole machine at the root.</summary>
    private string Cpuset(string dir, string file, string value)
    {
        if (value.Trim().Length > 0 && !Cpus(value).IsSubsetOf(Cpus(Effective(Path.GetDirectoryName(dir)!, file))))
            throw Fail(Errno.EINVAL, Path.Combine(dir, file));
        return value.Trim();
    }

    private string Effective(string dir, string file)
    {
        for (var mount = MountOf(dir)!; ; dir = Path.GetDirectoryName(dir)!)
        {
            var path = Path.Combine(dir, file);
            if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } value) return value;
            if (dir == mount.MountPoint) return file == "cpuset.cpus" ? "0-3" : "0";
        }
    }

    private static HashSet<int> Cpus(string list)
    {
        var set = new HashSet<int>();
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            var from = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var to = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : from;
            for (var cpu = from; cpu <= to; cpu++) set.Add(cpu);
        }
        return set;
    }

    private static long Number(string value, string file) =>
        long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Fail(Errno.EINVAL, file);

    private static IEnumerable<string> ReadLines(string file) =>
        File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0);

    private static string[] Words(string text) => text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

    private static string Pid(long pid) => pid.ToString(CultureInfo.InvariantCulture);

    private static IOException Fail(int errno, string path) => new($"{LinuxException.Describe(errno)} : '{path}'", errno);

    private sealed record Mount(string MountPoint, string[] Controllers, bool V2);
}
