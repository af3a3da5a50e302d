using Berth.Engine.Containers.Logs;
using Berth.Engine.Diagnostics;
using Berth.Engine.Containers.Oci;
using Berth.Engine.Tasks;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// A run sets up the container's resources in order, each with its release:
/// <code>
///   rootfs     the overlay of the image and the writable layer, mounted on containers/&lt;id&gt;/rootfs
///   volumes    each volume mounted for the run (a device at its first user), an empty one filled from the image
///   shm        a shareable IPC's /dev/shm tmpfs, on containers/&lt;id&gt;/mounts/shm
///   netns      a network namespace of its own (unless it shares the host's or another container's), on netns/&lt;id&gt;
///   endpoints  a veth pair and an address on each of its bridge networks, its DNS server, its published ports
///   bundle     config.json and the /etc files, written again before each start
///   task       the shim and the container's process (<see cref="ITaskRuntime"/>)
/// </code>
/// <see cref="ReleaseRunAsync"/> is the one cleanup path that undoes them, in reverse: after a failed start, after the
/// exit, at removal, and at daemon start for a container found dead.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>
    /// Sets up the run (the task's process waits before the user's program), connects the attach sessions opened before
    /// start, and lets the process run. On any failure what was set up is released again, and the error is recorded
    /// in the container's state.
    /// </summary>
    private async Task StartCoreAsync(Container container, CancellationToken cancellationToken)
    {
        var id = container.Id;
        var logRotation = LogDrivers.RotationOf(container.HostConfig.LogConfig);
        var phases = Phases.Start(_logger);
        ITask? task = null;
        try
        {
            var rootfs = Layout.Rootfs(id);
            Directory.CreateDirectory(rootfs);
            await _images.MountRootAsync(container.ImageId, ContainerLayout.SnapshotKey(id), rootfs, cancellationToken);
            phases.Mark("rootfs");
            MountVolumes(container, rootfs);
            phases.Mark("volumes");
            var ipc = IpcOf(container);
            var pidNamespace = PidNamespaceOf(container);
            MountShareableShm(container);
            var netns = CreateNetworkNamespace(container);
            phases.Mark("namespaces");
            var image = await _images.ResolveAsync(container.ImageId, cancellationToken);
            phases.Mark("image");
            if (netns is not null) await _networks.AttachAsync(container, netns, ExposedPorts(container, image.Config));
            phases.Mark("network");
            var process = _bundles.Write(container, Layout, image.Config, netns, NetworkFacts(container), ipc, pidNamespace);
            var healthcheck = EffectiveHealthcheck(container.Config.Healthcheck, image.Config?.Healthcheck);
            phases.Mark("bundle");
            task = await _tasks.CreateAsync(TaskOptions(container) with { LogRotation = logRotation }, cancellationToken);
            phases.Mark("task.create");
            var run = new ContainerRun(task);
            foreach (var session in TakePendingAttaches(container)) await ConnectAttachAsync(run, session, cancellationToken);
            phases.Mark("attach");
            await task.StartAsync(cancellationToken);
            phases.Mark("task.start");
            lock (container.Lock)
            {
                container.Run = run;
                container.ShimPid = task.SupervisorPid;
                container.State.Status = ContainerStatus.Running;
                container.State.Pid = task.Pid;
                container.State.ExitCode = 0;
                container.State.Error = "";
                container.State.OomKilled = false;
                container.State.StartedAt = DateTime.UtcNow;
                container.State.Health = healthcheck is null ? null : new HealthState();
            }
            Save(container);
            Publish(container, "start");
            InBackground(MonitorAsync(container, run), "exit monitor", id);
            if (healthcheck is not null) InBackground(MonitorHealthAsync(container, run, healthcheck, process), "health monitor", id);
            phases.Mark("record");
            if (phases.Enabled) LogPhases(_logger, id, "start", phases);
        }
        catch (Exception e)
        {
            await ReleaseRunAsync(container, exited: null);
            foreach (var session in TakePendingAttaches(container)) session.Complete();
            if (e is not (TaskFailedException or TaskGoneException)) throw;
            var message = $"failed to create task for container: OCI runtime create failed: {e.Message}: unknown";
            lock (container.Lock)
            {
                container.State.Error = message;
                container.State.ExitCode = StartFailureExitCode(e.Message);
            }
            Save(container);
            throw new EngineException(ErrorKind.System, message, e);
        }
    }

    /// <summary>
    /// Releases what a run set up, in reverse: the task (after its exit, once its shim has cleaned up; otherwise its
    /// processes are killed and its runtime state deleted), the endpoints, the namespace, the volumes, then the root
    /// filesystem's mount. After an exit the task's processes are gone, so its shim's cleanup runs alongside the rest
    /// (its "task" phase is then what was left to wait for); otherwise the task goes first, so that no process of it
    /// outlives what it uses. Never throws: a release that fails is logged and the others still run.
    /// </summary>
    private async Task ReleaseRunAsync(Container container, ITask? exited)
    {
        var id = container.Id;
        var phases = Phases.Start(_logger);
        var task = Released("task", id, () => exited is not null ? exited.DeleteAsync() : _tasks.CleanupAsync(id));
        if (exited is null) await Marked(task, phases, "task");
        await Marked(Released("network endpoints", id, () => _networks.DetachAsync(container, namespaceGoes: true)), phases, "endpoints");
        await Marked(Released("network namespace", id, () => Task.Run(() => _networks.Host.RemoveNamespace(Layout.Netns(id)))), phases, "netns");
        await Marked(Released("shareable /dev/shm", id, () => UnmountShareableShmAsync(container)), phases, "shm");
        await Marked(Released("volumes", id, () => UnmountVolumesAsync(container)), phases, "volumes");
        await Marked(Released("rootfs", id, () => _images.UnmountRootAsync(ContainerLayout.SnapshotKey(id), Layout.Rootfs(id), removeLayer: false)), phases, "rootfs");
        if (exited is not null) await Marked(task, phases, "task");
        if (phases.Enabled) LogPhases(_logger, id, "release", phases);
    }

    private static async Task Marked(Task release, Phases phases, string phase)
    {
        await release;
        phases.Mark(phase);
    }

    private async Task Released(string resource, string id, Func<Task> release)
    {
        try
        {
            await release();
        }
        catch (Exception e)
        {
            LogReleaseFailed(_logger, resource, id, e);
        }
    }

    /// <summary>The engine makes a private network namespace itself, so that endpoints are wired before the process exists.</summary>
    private string? CreateNetworkNamespace(Container container)
    {
        if (!NetworkMode.Parse(container.HostConfig.NetworkMode).IsPrivate) return null;
        var path = Layout.Netns(container.Id);
        _networks.Host.CreateNamespace(path);
        return path;
    }

    private static List<StreamSession> TakePendingAttaches(Container container)
    {
        lock (container.Lock)
        {
            List<StreamSession> pending = [.. container.PendingAttaches];
            container.PendingAttaches.Clear();
            return pending;
        }
    }

    private TaskCreateOptions TaskOptions(Container container) => new()
    {
        Id = container.Id,
        Bundle = Layout.Dir(container.Id),
        Log = container.HostConfig.LogConfig.Type == LogDrivers.Cri ? container.HostConfig.LogConfig.Config["path"] : Layout.Log(container.Id),
        CriLog = container.HostConfig.LogConfig.Type == LogDrivers.Cri,
        Runtime = container.HostConfig.Runtime,
        Tty = container.Config.Tty,
        Stdin = container.Config.OpenStdin,
        StdinOnce = container.Config.StdinOnce,
        ConsoleHeight = container.HostConfig.ConsoleSize?.Height ?? 0,
        ConsoleWidth = container.HostConfig.ConsoleSize?.Width ?? 0,
    };

    /// <summary>The docker CLI turns these texts into 127 and 126; anything else is 128 (Docker's own choice).</summary>
    private static int StartFailureExitCode(string message) =>
        message.Contains("executable file not found", StringComparison.Ordinal) ||
        message.Contains("no such file or directory", StringComparison.Ordinal) ? 127
        : message.Contains("permission denied", StringComparison.Ordinal) ? 126 : 128;

    /// <summary>Runs <paramref name="work"/> on its own; a failure is logged, never lost.</summary>
    private void InBackground(Task work, string what, string id) =>
        _ = work.ContinueWith(t => LogBackgroundFailed(_logger, what, id, t.Exception!.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "container {Id}: releasing its {Resource} failed")]
    private static partial void LogReleaseFailed(ILogger logger, string resource, string id, Exception error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "container {Id}: {Operation} phases (ms): {Phases}")]
    private static partial void LogPhases(ILogger logger, string id, string operation, Phases phases);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "container {Id}: {What} failed")]
    private static partial void LogBackgroundFailed(ILogger logger, string what, string id, Exception error);
}
