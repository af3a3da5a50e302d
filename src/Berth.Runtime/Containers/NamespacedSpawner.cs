using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Containers;

/// <summary>
/// Starts a stage process inside namespaces: on a dedicated thread that unshares and joins them (namespaces are per
/// thread) and then posix_spawns, so the child inherits them and the rest of this process is untouched. After
/// unshare(CLONE_NEWPID) that thread cannot create threads, so it does nothing but the syscalls and the spawn.
/// <para>
/// The stage is our own binary and runs where a container can see it, so the thread always takes a new mount namespace
/// and binds the binary read-only onto itself there (runc 1.2's guard against CVE-2019-5736): /proc/PID/exe of the
/// stage then leads to a read-only mount, and nothing reached through it can overwrite the runtime on the host.
/// </para>
/// <para>
/// Given a cgroup, the thread first joins it (<see cref="ICgroupManager.JoinThread"/>), before it enters any namespace,
/// so that the stage is born in the container's cgroup wherever a thread can move alone.
/// </para>
/// </summary>
public static class NamespacedSpawner
{
    public static int Spawn(SpawnRequest request, CloneFlags unshare, IReadOnlyList<(CloneFlags Type, SafeHandle Fd, string What)> join,
        ICgroupManager? cgroup = null)
    {
        var pid = 0;
        Exception? error = null;
        // Read here: that thread must not start any.
        var holding = Rootfs.MountPoints.Holding(FileDescriptors.RealPath(request.Path), File.ReadAllText("/proc/self/mountinfo"));
        var thread = new Thread(() =>
        {
            try
            {
                cgroup?.JoinThread();
                Namespaces.Unshare(CloneFlags.Fs | CloneFlags.NewNs | unshare);
                ProtectExecutable(request.Path, holding);
                foreach (var (type, fd, what) in join) Namespaces.SetNs(fd, type, what);
                pid = ProcessSpawner.Spawn(request);
            }
            catch (Exception e)
            {
                error = e;
            }
        }, maxStackSize: 256 * 1024) { Name = "berth-spawn" };
        thread.Start();
        thread.Join();
        return error is null ? pid : throw new RuntimeException($"cannot start the container's process: {error.Message}", error);
    }

    private static void ProtectExecutable(string path, string holdingMount)
    {
        // The mount that holds the binary goes slave first, so that this bind does not reach the host. Only that one:
        // the others keep their peer groups until the stage applies the rootfs propagation (slave by default), which a
        // bidirectional (rshared) bind needs to still be a peer of its source on the host.
        Mounts.SetPropagation(holdingMount, MountFlags.Slave, $"the mount of {path}");
        Mounts.Mount(path, path, null, MountFlags.Bind, null, $"bind {path}");
        var keep = Mounts.GetFlags(path) & (MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        Mounts.Mount(null, path, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | keep, null, $"remount {path} read-only");
    }
}
