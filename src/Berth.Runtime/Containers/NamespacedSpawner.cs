using System.Runtime.InteropServices;
using Berth.Linux;

namespace Berth.Runtime.Containers;

/// <summary>
/// Starts a stage process inside namespaces: on a dedicated thread that unshares and joins them (namespaces are per
/// thread) and then posix_spawns, so the child inherits them and the rest of this process is untouched. After
/// unshare(CLONE_NEWPID) that thread cannot create threads, so it does nothing but the syscalls and the spawn.
/// </summary>
public static class NamespacedSpawner
{
    public static int Spawn(SpawnRequest request, CloneFlags unshare, IReadOnlyList<(CloneFlags Type, SafeHandle Fd, string What)> join)
    {
        var pid = 0;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                Namespaces.Unshare(CloneFlags.Fs | unshare);
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
}
