using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;
using Berth.Runtime.Security;
using Berth.Runtime.Stages;
using Berth.Runtime.State;

namespace Berth.Runtime.Containers;

/// <summary>What <c>exec</c> asks for: the process, where its console goes, and its stdio (ours when null).</summary>
public sealed record ExecRequest(string Id, Process Process, string? ConsoleSocket = null, string? PidFile = null, StdioHandles? Stdio = null);

public sealed partial class ContainerRuntime
{
    /// <summary>
    /// Starts a process in a running container: joins its namespaces and cgroup, applies the process's user,
    /// capabilities and the container's seccomp profile, and execs. Returns the pid (our child) once the exec succeeded.
    /// </summary>
    public int Exec(ExecRequest request)
    {
        var (record, status) = Load(request.Id);
        if (status == ContainerStatus.Stopped) throw new RuntimeException("cannot exec in a stopped container");
        if (status == ContainerStatus.Paused) throw new RuntimeException("cannot exec in a paused state");
        if (request.Process.Args is not { Count: > 0 }) throw new RuntimeException("args must not be empty");
        if (request.Process.Terminal && request.ConsoleSocket is null)
            throw new RuntimeException("cannot allocate tty if runc will detach without setting console socket");

        var plan = NamespacePlan.From(record.Spec);
        var opened = new List<(CloneFlags Type, SafeHandle Fd, string What)>();
        SafeHandle? mountNs = null;
        try
        {
            foreach (var (file, type) in NamespacePlan.ProcFiles)
            {
                if (!plan.Has(type)) continue;
                var path = $"/proc/{record.Pid}/ns/{file}";
                var fd = FileDescriptors.Open(path, OpenFlags.ReadOnly);
                if (type == CloneFlags.NewNs) mountNs = fd;
                else opened.Add((type, fd, path));
            }
            if (!ProcStat.IsAlive(record.Pid, record.PidStartTime)) throw new RuntimeException("cannot exec in a stopped container");
            return SpawnExecStage(record, request, opened, mountNs!);
        }
        finally
        {
            foreach (var (_, fd, _) in opened) fd.Dispose();
            mountNs?.Dispose();
        }
    }

    /// <summary>What the exec stage reads as a spec: the process, and the container's seccomp section as it was in config.json.</summary>
    private static string ExecMessage(Process process, byte[] config)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("process");
            ProcessWriter.Write(writer, process);
            using var document = JsonDocument.Parse(config);
            if (document.RootElement.TryGetProperty("linux", out var linux) && linux.TryGetProperty("seccomp", out var seccomp))
            {
                writer.WriteStartObject("linux");
                writer.WritePropertyName("seccomp");
                seccomp.WriteTo(writer);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return global::System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private int SpawnExecStage(State.ContainerRecord record, ExecRequest request, List<(CloneFlags, SafeHandle, string)> join, SafeHandle mountNs)
    {
        using var toChild = FileDescriptors.Pipe();
        using var fromChild = FileDescriptors.Pipe();
        using var console = request.ConsoleSocket is null ? null : ConnectConsole(request.ConsoleSocket);
        var fds = new Dictionary<int, SafeHandle>
        {
            [StageFds.FromParent] = toChild.Read,
            [StageFds.ToParent] = fromChild.Write,
            [StageFds.MountNamespace] = mountNs,
        };
        if (console is not null) fds[StageFds.ConsoleSocket] = console.SafeHandle;
        request.Stdio?.AddTo(fds);
        var cgroup = Cgroup(record);
        cgroup.WarmUpMove(); // its grace period runs while the stage starts; the move below then finds it done
        var pid = NamespacedSpawner.Spawn(new SpawnRequest
        {
            Path = options.StageExecutable,
            Args = ["berth-runtime", "init", "--exec", SeccompProgramCache.DirectoryIn(options.Root)],
            Env = ["PATH=" + ExecutableLookup.DefaultPath, .. RuntimeTrace.Inherited],
            Fds = fds,
            NewSession = request.Process.Terminal,
        }, CloneFlags.None, join);
        RuntimeTrace.Mark("exec: stage spawned");
        toChild.Read.Dispose();
        fromChild.Write.Dispose();
        try
        {
            using var send = new StageChannel(toChild.Write);
            using var receive = new StageChannel(fromChild.Read);
            send.Send(new StageMessage(StageMessageKind.Process, 0, ExecMessage(request.Process, record.Config)));
            cgroup.Apply(pid);
            RuntimeTrace.Mark("exec: stage in cgroups");
            send.Send(StageMessageKind.CgroupsJoined);
            receive.Expect(StageMessageKind.Ready, "exec");
            // The channel is close-on-exec: end of stream now means execve succeeded; a message means it failed.
            if (receive.Receive() is { Kind: StageMessageKind.Failed } failure) throw new StageFailedException(failure.Text, failure.Errno);
        }
        catch
        {
            ProcessCalls.Kill(pid, Signals.SIGKILL);
            ProcessCalls.WaitPid(pid, out _);
            throw;
        }
        if (request.PidFile is not null) WritePidFile(request.PidFile, pid);
        RuntimeTrace.Mark("exec: done");
        return pid;
    }
}
