using System.Collections.Concurrent;
using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Moving a process between cgroups (a pid, or "0", written to cgroup.procs) takes the kernel's global threadgroup
/// lock, whose write side first waits out an RCU grace period: milliseconds, a jiffy or more. A move needs no such
/// wait within a grace period after another one, and shares the wait of one that is waiting now. A warm-up is such a
/// move made in the background that changes nothing (this process into the cgroup it is in, once that cgroup.procs
/// lists us), so that the grace period runs while the caller works and the move that matters finds it done or under
/// way. It holds cgroup_mutex while it waits: cgroups made, removed or moved into meanwhile wait for it too.
/// </summary>
internal static class MoveWarmUp
{
    /// <summary>How long the worker waits for a caller's go before it drops that warm-up.</summary>
    private static readonly TimeSpan GoTimeout = TimeSpan.FromSeconds(5);

    private static readonly BlockingCollection<Action> Requests = [];

    /// <summary>
    /// One thread serves every warm-up of this process: a shim warms up each exec's move, and starting a thread costs
    /// the starter a spin on sched_yield until it runs. Born on first use, in the caller's cgroups (never a container's).
    /// </summary>
    private static readonly Lazy<Thread> Worker = new(() =>
    {
        var thread = new Thread(() =>
        {
            foreach (var request in Requests.GetConsumingEnumerable()) request();
        }) { IsBackground = true, Name = "berth-cgroup-warm" };
        thread.UnsafeStart();
        return thread;
    });

    /// <summary>
    /// Queues the warm-up; it moves once the returned event is set (the caller must set it: the worker waits for it).
    /// <paramref name="hierarchy"/> names the hierarchy's line in /proc/self/cgroup: "" for cgroup v2, else its
    /// controllers or name as the kernel lists them there ("pids", "name=systemd").
    /// </summary>
    public static ManualResetEventSlim Start(ICgroupFileSystem fileSystem, string mountPoint, string hierarchy)
    {
        var go = new ManualResetEventSlim();
        _ = Worker.Value;
        Requests.Add(() =>
        {
            if (go.Wait(GoTimeout)) Move(fileSystem, mountPoint, hierarchy);
        });
        return go;
    }

    private static void Move(ICgroupFileSystem fileSystem, string mountPoint, string hierarchy)
    {
        try
        {
            var procs = Path.Join(CgroupTree.DirectoryOf(mountPoint, OwnCgroup(hierarchy)), "cgroup.procs");
            var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            // Our cgroup as our cgroup namespace names it may not be where this mount shows it: then leave it alone.
            if (fileSystem.ReadFile(procs).Split('\n').Contains(self)) fileSystem.WriteFile(procs, "0");
        }
        catch (Exception)
        {
            // only a warm-up: the move that matters reports its own failure
        }
    }

    /// <summary>This process's cgroup in a hierarchy, from its "ID:HIERARCHY:PATH" line of /proc/self/cgroup.</summary>
    private static string OwnCgroup(string hierarchy)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var fields = line.Split(':', 3);
            if (fields.Length == 3 && fields[1] == hierarchy) return fields[2];
        }
        throw new CgroupException($"this process has no cgroup in the \"{hierarchy}\" hierarchy");
    }
}
