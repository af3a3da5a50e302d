using System.Globalization;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>
/// A cgroup in every mounted v1 hierarchy, controllers and named ones (name=systemd) alike:
/// <code>
/// {hierarchy mount point}/{path}     e.g. /sys/fs/cgroup/memory/berth/abc, /sys/fs/cgroup/systemd/berth/abc
/// </code>
/// </summary>
internal sealed class V1CgroupManager(string path, IReadOnlyList<CgroupHierarchy> hierarchies, ICgroupFileSystem fileSystem)
    : ICgroupManager
{
    public string Path { get; } = path;

    public bool EnforcesDeviceRules => hierarchies.Any(h => h.Has(DevicesV1.Controller));

    public void Create()
    {
        foreach (var hierarchy in hierarchies)
        {
            var levels = CgroupTree.CreateLevels(fileSystem, hierarchy.MountPoint, Path);
            if (hierarchy.Has(CpusetV1.Controller)) CpusetV1.InitializeFromParents(levels);
        }
    }

    public void Apply(int pid)
    {
        foreach (var hierarchy in hierarchies)
            DirectoryIn(hierarchy).Write("cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>"0" names the writer itself; tasks (unlike cgroup.procs) moves one thread, not its whole process.</summary>
    public void JoinThread()
    {
        foreach (var hierarchy in hierarchies) DirectoryIn(hierarchy).Write("tasks", "0");
    }

    public void ApplySpawned(int pid)
    {
        // born in every hierarchy: JoinThread covered them all
    }

    /// <summary>Any hierarchy warms the lock up: it is one for all of them.</summary>
    public void WarmUpMove()
    {
        if (hierarchies.Count > 0) MoveWarmUp.Start(fileSystem, hierarchies[0].MountPoint, hierarchies[0].MountOptions).Set();
    }

    public void Set(LinuxResources resources)
    {
        if (resources.Unified is { Count: > 0 })
            throw new CgroupException("unified (cgroup v2) resources cannot be set: this host mounts cgroup v1 only");
        SetControllers(resources);
    }

    /// <summary>Everything but the unified map (which the hybrid manager writes to the v2 hierarchy).</summary>
    internal void SetControllers(LinuxResources resources)
    {
        if (CpusetV1.IsRequested(resources.Cpu)) CpusetV1.Set(DirectoryOf(CpusetV1.Controller), resources.Cpu!);
        if (resources.Devices is { Count: > 0 } rules) DevicesV1.Set(DirectoryOf(DevicesV1.Controller), rules);
        if (MemoryV1.IsRequested(resources.Memory)) MemoryV1.Set(DirectoryOf(MemoryV1.Controller), resources.Memory!);
        if (CpuV1.IsRequested(resources.Cpu)) CpuV1.Set(DirectoryOf(CpuV1.Controller), resources.Cpu!);
        if (resources.Pids is { } pids) PidsV1.Set(DirectoryOf(PidsV1.Controller), pids);
        if (BlkioV1.IsRequested(resources.BlockIO)) BlkioV1.Set(DirectoryOf(BlkioV1.Controller), resources.BlockIO!);
    }

    public IReadOnlyList<int> GetPids()
    {
        var pids = new SortedSet<int>();
        AddPids(pids);
        return [.. pids];
    }

    /// <summary>The union over every hierarchy: a process half-applied (one hierarchy joined) still counts.</summary>
    internal void AddPids(ISet<int> pids)
    {
        foreach (var hierarchy in hierarchies) CgroupTree.ReadPids(fileSystem, DirectoryIn(hierarchy).Path, pids);
    }

    public CgroupStats GetStats() => new()
    {
        Memory = StatsV1.Memory(FindDirectory(MemoryV1.Controller)),
        Cpu = StatsV1.Cpu(FindDirectory(CpuV1.Controller), FindDirectory(StatsV1.CpuacctController)),
        Pids = StatsV1.Pids(FindDirectory(PidsV1.Controller)),
        IoServiceBytes = StatsV1.IoServiceBytes(FindDirectory(BlkioV1.Controller)),
    };

    public void Freeze() => FreezerV1.Freeze(DirectoryOf(FreezerV1.Controller));

    public void Thaw() => FreezerV1.Thaw(DirectoryOf(FreezerV1.Controller));

    public bool IsFrozen() => FreezerV1.IsFrozen(DirectoryOf(FreezerV1.Controller));

    public void Destroy()
    {
        var errors = new List<CgroupException>();
        Remove(errors);
        CgroupTree.ThrowIfAny(errors);
    }

    internal void Remove(List<CgroupException> errors)
    {
        foreach (var hierarchy in hierarchies) CgroupTree.Remove(fileSystem, DirectoryIn(hierarchy).Path, errors);
    }

    private CgroupDirectory DirectoryIn(CgroupHierarchy hierarchy) =>
        new(fileSystem, CgroupTree.DirectoryOf(hierarchy.MountPoint, Path));

    private CgroupDirectory DirectoryOf(string controller) =>
        FindDirectory(controller)
        ?? throw new CgroupException($"the {controller} cgroup controller is not mounted, so its settings cannot be applied");

    private CgroupDirectory? FindDirectory(string controller) =>
        hierarchies.FirstOrDefault(h => h.Has(controller)) is { } hierarchy ? DirectoryIn(hierarchy) : null;
}
