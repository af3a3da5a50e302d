using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Hooks;
using Berth.Runtime.Init;
using Berth.Runtime.Rootfs;
using Berth.Runtime.Security;
using Berth.Runtime.Stages;
using Berth.Runtime.State;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>What <c>create</c> (and <c>run</c>) asks for. Without <paramref name="Stdio"/> the init inherits ours.</summary>
public sealed record CreateRequest(string Id, string Bundle, string? ConsoleSocket = null, string? PidFile = null, StdioHandles? Stdio = null);

public sealed partial class ContainerRuntime
{
    private const uint FifoMode = 0b110_010_010; // 0622: the container's user, whoever it is, can open it to write

    /// <summary>A bundle checked and resolved for create.</summary>
    private sealed record BundlePlan(string Id, string Bundle, Spec Spec, byte[] Config, string Rootfs, NamespacePlan Namespaces, string CgroupsPath);

    /// <summary>
    /// Creates the container: its init stage runs in new namespaces and cgroups, builds the rootfs and waits on the exec
    /// fifo (state "created"). On failure nothing is left: the init is killed, the cgroup and state directory removed.
    /// Returns the record; the caller is the init's parent and may wait for it.
    /// </summary>
    public ContainerRecord Create(CreateRequest request)
    {
        var plan = Plan(request);
        RuntimeTrace.Mark("create: bundle read");
        _store.CreateContainerDir(plan.Id);
        ICgroupManager? cgroup = null;
        var pid = 0;
        try
        {
            FileDescriptors.MkFifo(_store.ExecFifo(plan.Id), FifoMode);
            cgroup = CgroupManagerFactory.Create(plan.CgroupsPath, _cgroupLayout.Value);
            cgroup.Create();
            RuntimeTrace.Mark("create: cgroups made");
            using var toChild = FileDescriptors.Pipe();
            using var fromChild = FileDescriptors.Pipe();
            pid = SpawnInit(plan, request, cgroup, toChild.Read, fromChild.Write);
            RuntimeTrace.Mark("create: init spawned");
            cgroup.ApplySpawned(pid);
            // After the spawn (runc's order too): the spawning thread counts in pids.current while it lives, and the
            // init must be able to start however strict the limits; it does nothing in the container before CgroupsJoined.
            ApplyResources(plan, cgroup);
            RuntimeTrace.Mark("create: init in cgroups");
            toChild.Read.Dispose();
            fromChild.Write.Dispose();
            using var send = new StageChannel(toChild.Write);
            using var receive = new StageChannel(fromChild.Read);
            var record = Handshake(plan, pid, send, receive);
            _store.Save(record);
            if (request.PidFile is not null) WritePidFile(request.PidFile, pid);
            RuntimeTrace.Mark("create: done");
            return record;
        }
        catch
        {
            Abandon(plan.Id, pid, cgroup);
            throw;
        }
    }

    private static BundlePlan Plan(CreateRequest request)
    {
        StateStore.ValidateId(request.Id);
        var bundle = Path.GetFullPath(request.Bundle);
        var spec = SpecFile.Load(bundle, out var config);
        var process = spec.Process ?? throw new RuntimeException("config.json: process is required");
        if (process.Args is not { Count: > 0 }) throw new RuntimeException("args must not be empty");
        var rootfs = RootfsBuilder.ResolveRootfs(spec, bundle);
        if (!Directory.Exists(rootfs)) throw new RuntimeException($"rootfs (\"{rootfs}\") does not exist");
        if (process.Terminal && request.ConsoleSocket is null)
            throw new RuntimeException("cannot allocate tty if runc will detach without setting console socket");
        var cgroupsPath = string.IsNullOrEmpty(spec.Linux?.CgroupsPath) ? DefaultCgroupsPath(request.Id) : spec.Linux.CgroupsPath;
        return new BundlePlan(request.Id, bundle, spec, config, rootfs, NamespacePlan.From(spec), cgroupsPath);
    }

    /// <summary>The spec's limits on the new cgroup; a limit the kernel refuses fails the create (the cgroup is the caller's to remove).</summary>
    private void ApplyResources(BundlePlan plan, ICgroupManager cgroup)
    {
        if (plan.Spec.Linux?.Resources is { } resources)
        {
            cgroup.Set(DefaultDeviceRules.WithDefaults(resources));
            if (resources.Devices is { Count: > 0 } && !cgroup.EnforcesDeviceRules)
                options.Warn("device cgroup rules are not enforced: no hierarchy of this host has the devices controller");
        }
        if (plan.Spec.Process!.Capabilities is { } capabilities)
            foreach (var issue in Security.CapabilityPlan.FromOci(capabilities).Ignored) options.Warn($"capability not granted: {issue}");
    }

    /// <summary>Starts <c>berth-runtime init</c> in the container's new namespaces and cgroup, with the stage descriptors in place.</summary>
    private int SpawnInit(BundlePlan plan, CreateRequest request, ICgroupManager cgroup, SafeHandle fromParent, SafeHandle toParent)
    {
        using var fifo = FileDescriptors.Open(_store.ExecFifo(plan.Id), OpenFlags.Path);
        using var console = request.ConsoleSocket is null ? null : ConnectConsole(request.ConsoleSocket);
        var fds = new Dictionary<int, SafeHandle>
        {
            [StageFds.FromParent] = fromParent,
            [StageFds.ToParent] = toParent,
            [StageFds.ExecFifo] = fifo,
        };
        if (console is not null) fds[StageFds.ConsoleSocket] = console.SafeHandle;
        request.Stdio?.AddTo(fds);
        var join = OpenJoinedNamespaces(plan.Namespaces);
        try
        {
            return NamespacedSpawner.Spawn(new SpawnRequest
            {
                Path = options.StageExecutable,
                Args = ["berth-runtime", "init", plan.Bundle, plan.CgroupsPath, SeccompProgramCache.DirectoryIn(options.Root)],
                Env = ["PATH=" + ExecutableLookup.DefaultPath, .. RuntimeTrace.Inherited],
                Fds = fds,
                NewSession = true,
            }, plan.Namespaces.New & ~CloneFlags.NewCgroup, join, cgroup); // the init unshares cgroup itself, once it is in its cgroup
        }
        finally
        {
            foreach (var (_, fd, _) in join) fd.Dispose();
        }
    }

    /// <summary>The parent's half of the conversation: cgroups joined → mounts ready → hooks → ready.</summary>
    private static ContainerRecord Handshake(BundlePlan plan, int pid, StageChannel send, StageChannel receive)
    {
        send.Send(StageMessageKind.CgroupsJoined);
        receive.Expect(StageMessageKind.MountsReady, "init");
        RuntimeTrace.Mark("create: init mounts ready");
        var record = new ContainerRecord
        {
            Id = plan.Id,
            Pid = pid,
            PidStartTime = ProcStat.Read(pid)?.StartTime ?? throw new RuntimeException("container init exited during create"),
            Bundle = plan.Bundle,
            Rootfs = plan.Rootfs,
            Created = DateTime.UtcNow,
            CgroupsPath = plan.CgroupsPath,
            OwnPidNamespace = plan.Namespaces.New.HasFlag(CloneFlags.NewPid),
            Config = plan.Config,
        };
        var creating = record.ToOciState(ContainerStatus.Creating);
        HookRunner.Run("prestart", plan.Spec.Hooks?.Prestart, creating);
        HookRunner.Run("createRuntime", plan.Spec.Hooks?.CreateRuntime, creating);
        send.Send(StageMessageKind.HooksDone);
        receive.Expect(StageMessageKind.Ready, "init");
        return record;
    }

    /// <summary>Undoes a failed create: the init (our child) is killed and reaped, its cgroup and state removed.</summary>
    private void Abandon(string id, int pid, ICgroupManager? cgroup)
    {
        if (pid > 0)
        {
            ProcessCalls.Kill(pid, Signals.SIGKILL);
            ProcessCalls.WaitPid(pid, out _);
        }
        try
        {
            cgroup?.Destroy();
        }
        catch (CgroupException e)
        {
            options.Warn(e.Message);
        }
        _store.Remove(id);
    }

    private static List<(CloneFlags, SafeHandle, string)> OpenJoinedNamespaces(NamespacePlan plan) =>
        plan.Join.Select(j => (j.Type, (SafeHandle)FileDescriptors.Open(j.Path, OpenFlags.ReadOnly), j.Path)).ToList();

    /// <summary>
    /// The console socket, connected. The caller keeps the Socket itself until the spawn is done and then disposes it:
    /// a Socket that is no longer referenced is finalized, and its finalizer closes the descriptor, however alive its
    /// SafeHandle still is. The stage then got a closed or reused descriptor number (EBADF, or a pty master sent over
    /// a file that is not a socket), about once in fifty terminal execs in a shim that collects often.
    /// </summary>
    private static Socket ConnectConsole(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new RuntimeException($"connect to console socket {path}: {e.Message}", e);
        }
        return socket;
    }

    internal static void WritePidFile(string path, int pid)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full));
        File.WriteAllText(temp, pid.ToString());
        File.Move(temp, full, overwrite: true);
    }
}
