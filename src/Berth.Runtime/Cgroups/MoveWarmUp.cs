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
    /// <summary>
    /// Starts the warm-up's thread now (born in the caller's cgroups); it moves once the returned event is set.
    /// <paramref name="hierarchy"/> names the hierarchy's line in /proc/self/cgroup: "" for cgroup v2, else its
    /// controllers or name as the kernel lists them there ("pids", "name=systemd").
    /// </summary>
    public static ManualResetEventSlim Start(ICgroupFileSystem fileSystem, string mountPoint, string hierarchy)
    {
        var go = new ManualResetEventSlim();
        new Thread(() =>
        {
            go.Wait();
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
        }) { IsBackground = true, Name = "berth-cgroup-warm" }.UnsafeStart();
        return go;
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
