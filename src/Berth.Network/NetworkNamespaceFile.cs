using Berth.Linux;

namespace Berth.Network;

/// <summary>
/// A network namespace that lives as long as a file holds it: made on a thread of ours (unshare acts on the calling
/// thread only, see <see cref="NamespaceThreads"/>), its loopback brought up, and bind-mounted on a file, so that it outlives the thread and any process
/// in it, and a container's runtime joins it by path. The daemon wires the container's endpoints into it before the
/// container's process exists.
/// </summary>
public static class NetworkNamespaceFile
{
    /// <summary>Creates the namespace and binds it on <paramref name="path"/>; on failure nothing is left.</summary>
    public static void Create(string path)
    {
        File.WriteAllBytes(path, []);
        try
        {
            NamespaceThreads.InNewNamespace(() =>
            {
                Loopback.Up();
                Mounts.Mount("/proc/thread-self/ns/net", path, null, MountFlags.Bind, null, $"network namespace on {path}");
                return true;
            });
        }
        catch
        {
            Remove(path);
            throw;
        }
    }

    /// <summary>Unbinds and deletes <paramref name="path"/>; the namespace goes with its last user. Absent or unbound is fine.</summary>
    public static void Remove(string path)
    {
        try
        {
            Mounts.DetachUnmount(path);
        }
        catch (LinuxException e) when (e.Errno is Errno.EINVAL or Errno.ENOENT)
        {
            // not mounted (a create that failed early, or a reboot since)
        }
        File.Delete(path);
    }
}
