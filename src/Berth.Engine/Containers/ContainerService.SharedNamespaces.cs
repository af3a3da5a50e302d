using System.Globalization;
using Berth.Engine.Containers.Model;
using Berth.Linux;

namespace Berth.Engine.Containers;

/// <summary>
/// The IPC and PID namespaces a run shares. The IPC resource of a run, as moby's <c>setupIPCDirs</c>: a <c>shareable</c> container's /dev/shm is a tmpfs the
/// engine mounts on <c>containers/&lt;id&gt;/mounts/shm</c>, so that a <c>container:&lt;id&gt;</c> container can bind the
/// same one while it joins the IPC namespace; it is unmounted when the run is released.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>Mounts the shareable /dev/shm of <paramref name="container"/> (nothing for the other modes).</summary>
    private void MountShareableShm(Container container)
    {
        if (container.HostConfig.IpcMode != IpcModes.Shareable) return;
        var dir = Layout.ShmDir(container.Id);
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var size = container.HostConfig.ShmSize == 0 ? Oci.SpecBuilder.DefaultShmSize : container.HostConfig.ShmSize;
        Mounts.Mount("shm", dir, "tmpfs", MountFlags.NoExec | MountFlags.NoSuid | MountFlags.NoDev,
            "mode=1777,size=" + size.ToString(CultureInfo.InvariantCulture), "shm on " + dir);
    }

    private Task UnmountShareableShmAsync(Container container) => Task.Run(() =>
    {
        var dir = Layout.ShmDir(container.Id);
        if (container.HostConfig.IpcMode != IpcModes.Shareable || !Directory.Exists(dir)) return;
        try
        {
            Mounts.DetachUnmount(dir);
        }
        catch (LinuxException e) when (e.Errno == Errno.EINVAL)
        {
            // Not mounted: a start that failed before the mount, or a second release.
        }
    });

    /// <summary>
    /// Where the container's /dev/shm comes from and which IPC namespace it joins: the host's /dev/shm for <c>host</c>,
    /// its own shareable tmpfs, or the donor's tmpfs and namespace for <c>container:&lt;id&gt;</c> (which must be
    /// running and shareable, with moby's errors).
    /// </summary>
    private (string? ShmPath, string? NamespacePath) IpcOf(Container container)
    {
        var mode = container.HostConfig.IpcMode;
        if (mode == IpcModes.Shareable) return (Layout.ShmDir(container.Id), null);
        if (mode == IpcModes.Host)
        {
            return Directory.Exists("/dev/shm") ? ("/dev/shm", null)
                : throw new EngineException(ErrorKind.InvalidArgument, "/dev/shm is not mounted, but must be for --ipc=host");
        }
        if (ContainerModes.DonorOf(mode) is not { } donorId) return (null, null);
        var donor = RunningDonor(donorId, "IPC");
        if (donor.HostConfig.IpcMode != IpcModes.Shareable)
            throw new EngineException(ErrorKind.InvalidArgument,
                $"failed to join IPC namespace: container {donorId}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
        return (Layout.ShmDir(donor.Id), $"/proc/{donor.State.Pid}/ns/ipc");
    }

    /// <summary>For <c>--pid container:&lt;id&gt;</c>: the donor's PID namespace, which it must be running to have.</summary>
    private string? PidNamespaceOf(Container container) =>
        ContainerModes.DonorOf(container.HostConfig.PidMode) is { } donorId ? $"/proc/{RunningDonor(donorId, "PID").State.Pid}/ns/pid" : null;

    /// <summary>The container whose <paramref name="kind"/> namespace is joined, with moby's errors when it is missing or stopped.</summary>
    private Container RunningDonor(string idOrName, string kind)
    {
        Container donor;
        try
        {
            donor = Get(idOrName);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw new EngineException(ErrorKind.InvalidArgument, $"failed to join {kind} namespace: " + e.Message, e);
        }
        return donor.State.IsRunning && donor.State.Pid != 0 ? donor
            : throw new EngineException(ErrorKind.Conflict, $"failed to join {kind} namespace: container {donor.Id} is not running");
    }
}
