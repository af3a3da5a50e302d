using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups.V1;
using Berth.Runtime.Cgroups.V2;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// systemd's hybrid layout: the controllers are v1 hierarchies, and a controller-less cgroup2 (e.g.
/// /sys/fs/cgroup/unified) tracks processes. The container gets the same path in both, as runc does; limits and the
/// freezer are v1, and the OCI unified map is written raw to the v2 directory.
/// </summary>
internal sealed class HybridCgroupManager(V1CgroupManager v1, V2CgroupManager unified) : ICgroupManager
{
    public string Path => v1.Path;

    public bool EnforcesDeviceRules => v1.EnforcesDeviceRules;

    public void Create()
    {
        v1.Create();
        unified.Create();
    }

    public void Apply(int pid)
    {
        v1.Apply(pid);
        unified.Apply(pid);
    }

    /// <summary>The v1 hierarchies by the thread; the unified one's later move warmed up, once the v1 moves are done
    /// (the warm-up holds cgroup_mutex while it waits), by the warm-up thread, born outside the container (not counted in it).</summary>
    public void JoinThread()
    {
        var go = unified.StartWarmUpMove();
        try
        {
            v1.JoinThread();
        }
        finally
        {
            go.Set();
        }
    }

    public void ApplySpawned(int pid) => unified.Apply(pid);

    public void WarmUpMove() => unified.WarmUpMove();

    public void Set(LinuxResources resources)
    {
        v1.SetControllers(resources);
        unified.SetUnified(resources.Unified);
    }

    public IReadOnlyList<int> GetPids()
    {
        var pids = new SortedSet<int>();
        v1.AddPids(pids);
        unified.AddPids(pids);
        return [.. pids];
    }

    /// <summary>The controllers, hence every counter, are v1; the unified hierarchy only tracks processes.</summary>
    public CgroupStats GetStats() => v1.GetStats();

    public void Freeze() => v1.Freeze();

    public void Thaw() => v1.Thaw();

    public bool IsFrozen() => v1.IsFrozen();

    public void Destroy()
    {
        var errors = new List<CgroupException>();
        v1.Remove(errors);
        unified.Remove(errors);
        CgroupTree.ThrowIfAny(errors);
    }
}
