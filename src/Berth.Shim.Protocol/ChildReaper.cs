using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim.Protocol;

/// <summary>
/// Reaps the shims this process started, all from one thread that polls their pidfds (readable once the process has
/// exited) and a wake pipe, so no zombie stays behind. A thread per shim blocked in waitpid cost a thread per running
/// container, and each start paid for starting one: the starter spins on sched_yield until the new thread runs.
/// </summary>
public static class ChildReaper
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, Child> Children = [];
    private static PipeEnds? _wake;

    /// <summary>
    /// Completes with the exit code of <paramref name="pid"/>, a child of this process, once it has exited and been
    /// reaped. Without a pidfd (no descriptor left) the child is killed and reaped at once, and that is the error.
    /// </summary>
    public static Task<int> Watch(int pid)
    {
        if (ProcessCalls.TryPidfdOpen(pid) is not { } pidfd)
        {
            var error = LinuxException.FromLastError("pidfd_open", pid.ToString());
            ProcessCalls.Kill(pid, Signals.SIGKILL);
            ProcessCalls.WaitPid(pid, out _);
            throw error;
        }
        var child = new Child(pidfd);
        lock (Gate)
        {
            Children.Add(pid, child);
            if (_wake is null)
            {
                _wake = FileDescriptors.Pipe();
                FileDescriptors.SetNonBlocking(_wake.Read);
                new Thread(Loop, maxStackSize: 64 * 1024) { IsBackground = true, Name = "berth-shim-reaper" }.UnsafeStart();
            }
            else
            {
                FileDescriptors.TryWrite(_wake.Write, [1], out _); // a full pipe already wakes it
            }
        }
        return child.Exit.Task;
    }

    private static void Loop()
    {
        var wake = _wake!.Read;
        var buffer = new byte[64];
        while (true)
        {
            var watched = Snapshot();
            var fds = new PollFd[watched.Length + 1];
            fds[0] = new PollFd { Fd = (int)wake.DangerousGetHandle(), Events = PollEvents.In };
            for (var i = 0; i < watched.Length; i++)
                fds[i + 1] = new PollFd { Fd = (int)watched[i].Child.Pidfd.DangerousGetHandle(), Events = PollEvents.In };
            Poll.Wait(fds, -1);
            while (FileDescriptors.TryRead(wake, buffer, out _) > 0)
            {
                // drained: the next round polls the new children too
            }
            for (var i = 0; i < watched.Length; i++)
                if (fds[i + 1].Revents != PollEvents.None) Reap(watched[i].Pid, watched[i].Child);
        }
    }

    private static (int Pid, Child Child)[] Snapshot()
    {
        lock (Gate) return [.. Children.Select(c => (c.Key, c.Value))];
    }

    private static void Reap(int pid, Child child)
    {
        lock (Gate) Children.Remove(pid);
        child.Pidfd.Dispose();
        try
        {
            ProcessCalls.WaitPid(pid, out var status);
            child.Exit.SetResult(ProcessCalls.ExitCodeOf(status));
        }
        catch (LinuxException e)
        {
            child.Exit.SetException(e);
        }
    }

    private sealed class Child(SafeFileHandle pidfd)
    {
        public SafeFileHandle Pidfd => pidfd;
        public TaskCompletionSource<int> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
