using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// One container's cgroup, in every hierarchy the host mounts (cgroup v1 controllers, the v2 unified tree, or both).
/// States: absent → <see cref="Create"/> → exists (<see cref="Apply"/>, <see cref="Set"/>, <see cref="GetPids"/>,
/// <see cref="GetStats"/>, <see cref="Freeze"/>/<see cref="Thaw"/>) → <see cref="Destroy"/> → absent.
/// Every failure is a <see cref="CgroupException"/> naming the file, the value written and the kernel's reason.
/// </summary>
public interface ICgroupManager
{
    /// <summary>The normalised OCI cgroupsPath, always absolute, e.g. "/berth/abc".</summary>
    string Path { get; }

    /// <summary>
    /// False when <see cref="Set"/> cannot enforce <see cref="LinuxResources.Devices"/> rules (a host whose hierarchies
    /// have no devices controller): the rules are then ignored and the caller should say so.
    /// </summary>
    bool EnforcesDeviceRules { get; }

    /// <summary>Makes the cgroup in every hierarchy; idempotent. Initialises v1 cpusets from the parent and enables the
    /// available controllers in the v2 ancestors' cgroup.subtree_control.</summary>
    void Create();

    /// <summary>Moves the process into the cgroup in every hierarchy.</summary>
    void Apply(int pid);

    /// <summary>
    /// Moves the calling thread into the cgroup in the hierarchies where one thread may move alone (cgroup v1), so that
    /// a process it spawns next is born there; then <see cref="ApplySpawned"/> that process. Moving a process (a pid
    /// written to cgroup.procs) takes the kernel's global threadgroup lock, whose write side first waits out an RCU
    /// grace period: milliseconds, a jiffy or more each. A thread moving itself ("0" written to tasks) skips that lock.
    /// Until the thread exits, its process is listed in the cgroup's v1 cgroup.procs and the thread counts in
    /// pids.current: call it on a thread that spawns and ends.
    /// </summary>
    void JoinThread();

    /// <summary>Completes <see cref="Apply"/> for a process spawned by a thread that called <see cref="JoinThread"/>:
    /// moves it in the hierarchies where a thread cannot move alone (cgroup v2). <see cref="JoinThread"/> has warmed
    /// that move up.</summary>
    void ApplySpawned(int pid);

    /// <summary>
    /// Call some milliseconds before an <see cref="Apply"/> that no cgroup operation precedes: starts, in the
    /// background, the grace period that the move would otherwise begin with (see <see cref="MoveWarmUp"/>). Never fails.
    /// </summary>
    void WarmUpMove();

    /// <summary>Writes the limits present in <paramref name="resources"/>; absent fields (null, or 0 for sizes, shares
    /// and weights) are left alone. A pids limit of 0 or less means "max".</summary>
    void Set(LinuxResources resources);

    /// <summary>Every process in the cgroup and its descendants, ascending.</summary>
    IReadOnlyList<int> GetPids();

    /// <summary>The cgroup's resource usage now (Docker's stats). Never fails: what the host cannot tell (a controller
    /// not mounted or not enabled, a missing file, the cgroup absent) reads as zero, empty or an unknown limit.</summary>
    CgroupStats GetStats();

    /// <summary>Freezes every process and returns once the kernel reports the cgroup frozen (bounded wait).</summary>
    void Freeze();

    /// <summary>Thaws the cgroup and returns once the kernel reports it thawed (bounded wait).</summary>
    void Thaw();

    bool IsFrozen();

    /// <summary>Removes the cgroup and its descendants from every hierarchy; an absent cgroup is not an error.
    /// A cgroup whose last process is still exiting is retried briefly.</summary>
    void Destroy();
}
