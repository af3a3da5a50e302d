using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Hooks;
using Berth.Runtime.State;

namespace Berth.Runtime.Containers;

public sealed partial class ContainerRuntime
{
    private const int ExitWaitMs = 10_000;

    /// <summary>Releases a created container's init: it execs the user's program. Then runs the poststart hooks.</summary>
    public void Start(string id)
    {
        var (record, status) = Load(id);
        switch (status)
        {
            case ContainerStatus.Stopped: throw new RuntimeException("cannot start a container that has stopped");
            case ContainerStatus.Running or ContainerStatus.Paused: throw new RuntimeException("cannot start an already running container");
        }
        var fifoPath = _store.ExecFifo(id);
        using (var fifo = FileDescriptors.Open(fifoPath, OpenFlags.ReadOnly | OpenFlags.NonBlock))
        {
            if (!ReadGoByte(fifo, record)) throw new RuntimeException("cannot start a container that has stopped");
        }
        File.Delete(fifoPath);
        RuntimeTrace.Mark("start: released");
        try
        {
            HookRunner.Run("poststart", record.Spec.Hooks?.Poststart, record.ToOciState(ContainerStatus.Running));
        }
        catch (RuntimeException e)
        {
            options.Warn(e.Message); // the spec: a failing poststart hook is logged, not fatal
        }
    }

    /// <summary>
    /// Reads the init's "0" from the fifo. Our open released its blocked open (it counts as a writer from then on), so a
    /// blocking read returns its byte at once, or end of stream if it died. End of stream while it lives means it had not
    /// reached its open yet: a window of microseconds, but one a busy machine can stretch past a second (seen in CI), so
    /// it is waited out for as long as the init lives, up to <see cref="ExitWaitMs"/>, not for a count of tries.
    /// </summary>
    private static bool ReadGoByte(Microsoft.Win32.SafeHandles.SafeFileHandle fifo, ContainerRecord record)
    {
        FileDescriptors.SetBlocking(fifo);
        Span<byte> buffer = stackalloc byte[1];
        var deadline = Environment.TickCount64 + ExitWaitMs;
        while (true)
        {
            if (FileDescriptors.Read(fifo, buffer) == 1) return true;
            if (!ProcStat.IsAlive(record.Pid, record.PidStartTime) || Environment.TickCount64 > deadline) return false;
            Thread.Sleep(1);
        }
    }

    public void Kill(string id, int signal, bool all)
    {
        var (record, status) = Load(id);
        if (status == ContainerStatus.Stopped) throw new RuntimeException("container not running");
        if (all)
            foreach (var pid in Cgroup(record).GetPids()) ProcessCalls.Kill(pid, signal);
        else
            ProcessCalls.Kill(record.Pid, signal);
    }

    public void Delete(string id, bool force)
    {
        ContainerRecord record;
        string status;
        try
        {
            (record, status) = Load(id);
        }
        catch (ContainerNotFoundException) when (force)
        {
            return;
        }
        if (status is ContainerStatus.Running or ContainerStatus.Paused && !force)
            throw new RuntimeException($"cannot delete container {id} that is not stopped: {status}");
        var cgroup = Cgroup(record);
        if (status != ContainerStatus.Stopped) Stop(record, cgroup, status);
        if (!record.OwnPidNamespace) KillRemaining(cgroup);
        cgroup.Destroy();
        try
        {
            HookRunner.Run("poststop", record.Spec.Hooks?.Poststop, record.ToOciState(ContainerStatus.Stopped));
        }
        finally
        {
            _store.Remove(id);
            RuntimeTrace.Mark("delete: done");
        }
    }

    public void Pause(string id)
    {
        var (record, status) = Load(id);
        if (status != ContainerStatus.Running) throw new RuntimeException($"container not running: {status}");
        Cgroup(record).Freeze();
    }

    public void Resume(string id)
    {
        var (record, status) = Load(id);
        if (status != ContainerStatus.Paused) throw new RuntimeException("container not paused");
        Cgroup(record).Thaw();
    }

    /// <summary>runc's <c>update</c>: applies new resource limits to a created, running or paused container's cgroup.</summary>
    public void Update(string id, Oci.Runtime.LinuxResources resources)
    {
        var (record, status) = Load(id);
        if (status == ContainerStatus.Stopped) throw new RuntimeException("container not running");
        Cgroup(record).Set(resources);
    }

    /// <summary>SIGKILLs the init and waits until it has exited (killing a PID namespace's init kills all of it).</summary>
    private static void Stop(ContainerRecord record, ICgroupManager cgroup, string status)
    {
        using var pidfd = ProcessCalls.TryPidfdOpen(record.Pid);
        ProcessCalls.Kill(record.Pid, Signals.SIGKILL);
        if (status == ContainerStatus.Paused) cgroup.Thaw();
        if (pidfd is not null && !ProcessCalls.WaitExited(pidfd, ExitWaitMs))
            throw new RuntimeException($"container {record.Id} init (pid {record.Pid}) did not exit after SIGKILL");
    }

    /// <summary>Without its own PID namespace a container's processes outlive its init: kill what is left in its cgroup.</summary>
    private static void KillRemaining(ICgroupManager cgroup)
    {
        for (var round = 0; round < 100; round++)
        {
            var pids = cgroup.GetPids();
            if (pids.Count == 0) return;
            foreach (var pid in pids) ProcessCalls.Kill(pid, Signals.SIGKILL);
            Thread.Sleep(10);
        }
    }
}
