using System.Globalization;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>
/// A cgroup in the cgroup2 unified hierarchy:
/// <code>
/// {unified mount point}/{path}     e.g. /sys/fs/cgroup/berth/abc (v2), /sys/fs/cgroup/unified/berth/abc (hybrid)
/// </code>
/// Device rules are an eBPF program attached to the cgroup (<see cref="DeviceFilter"/>).
/// </summary>
internal sealed class V2CgroupManager(string path, string mountPoint, ICgroupFileSystem fileSystem) : ICgroupManager
{
    public string Path { get; } = path;

    public bool EnforcesDeviceRules => true;

    private CgroupDirectory Directory => new(fileSystem, CgroupTree.DirectoryOf(mountPoint, Path));

    public void Create()
    {
        var levels = CgroupTree.CreateLevels(fileSystem, mountPoint, Path);
        for (var i = 0; i < levels.Count - 1; i++) SubtreeControl.EnableAvailable(levels[i]);
    }

    public void Apply(int pid) => Directory.Write("cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>In cgroup v2 a thread may leave its process's cgroup only within a threaded subtree: the process is
    /// moved after the spawn, and that move is warmed up now (<see cref="MoveWarmUp"/>).</summary>
    public void JoinThread() => WarmUpMove();

    public void WarmUpMove() => StartWarmUpMove().Set();

    /// <summary>The warm-up's thread, born now; it moves once the returned event is set.</summary>
    internal ManualResetEventSlim StartWarmUpMove() => MoveWarmUp.Start(fileSystem, mountPoint, "");

    public void ApplySpawned(int pid) => Apply(pid);

    public void Set(LinuxResources resources)
    {
        var dir = Directory;
        if (CpusetV2.IsRequested(resources.Cpu)) CpusetV2.Set(dir, resources.Cpu!);
        if (MemoryV2.IsRequested(resources.Memory)) MemoryV2.Set(dir, resources.Memory!);
        if (CpuV2.IsRequested(resources.Cpu)) CpuV2.Set(dir, resources.Cpu!);
        if (resources.Pids is { } pids) PidsV2.Set(dir, pids);
        if (IoV2.IsRequested(resources.BlockIO)) IoV2.Set(dir, resources.BlockIO!);
        if (resources.Devices is { Count: > 0 } devices) fileSystem.SetDeviceFilter(dir.Path, DeviceFilter.Compile(devices));
        SetUnified(resources.Unified);
    }

    internal void SetUnified(IReadOnlyDictionary<string, string>? unified)
    {
        if (unified is { Count: > 0 }) UnifiedV2.Set(Directory, unified);
    }

    public IReadOnlyList<int> GetPids()
    {
        var pids = new SortedSet<int>();
        AddPids(pids);
        return [.. pids];
    }

    internal void AddPids(ISet<int> pids) => CgroupTree.ReadPids(fileSystem, Directory.Path, pids);

    public CgroupStats GetStats() => StatsV2.Read(Directory);

    public void Freeze() => FreezerV2.Freeze(Directory);

    public void Thaw() => FreezerV2.Thaw(Directory);

    public bool IsFrozen() => FreezerV2.IsFrozen(Directory);

    public void Destroy()
    {
        var errors = new List<CgroupException>();
        Remove(errors);
        CgroupTree.ThrowIfAny(errors);
    }

    internal void Remove(List<CgroupException> errors) => CgroupTree.Remove(fileSystem, Directory.Path, errors);
}
