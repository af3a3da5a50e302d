using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Berth.Engine.Tasks;
using Berth.Oci.Runtime;

namespace Berth.Engine.Tests.Fakes;

/// <summary>
/// The task layer's in-memory twin: tasks are records whose exit a test decides (<see cref="InMemoryTask.Exit"/>,
/// <see cref="InMemoryTask.Crash"/>); a signal that would end a process ends it with 128 + signal.
/// </summary>
public sealed class InMemoryTaskRuntime : ITaskRuntime
{
    private int _nextPid = 1000;

    public ConcurrentDictionary<string, InMemoryTask> Tasks { get; } = new();

    /// <summary>Containers whose leftovers <see cref="CleanupAsync"/> was asked to remove, in order.</summary>
    public ConcurrentQueue<string> CleanedUp { get; } = new();

    /// <summary>The runtime's message for the next create, which then fails.</summary>
    public string? FailNextCreate { get; set; }

    public Task<ITask> CreateAsync(TaskCreateOptions options, CancellationToken cancellationToken = default)
    {
        if (FailNextCreate is { } message)
        {
            FailNextCreate = null;
            throw new TaskFailedException(message);
        }
        var task = new InMemoryTask(options.Id, Interlocked.Increment(ref _nextPid));
        Tasks[options.Id] = task;
        return Task.FromResult<ITask>(task);
    }

    public ITask Connect(string id, int pid, int supervisorPid) =>
        Tasks.TryGetValue(id, out var task) ? task : new InMemoryTask(id, pid, crashed: true);

    public Task CleanupAsync(string id, CancellationToken cancellationToken = default)
    {
        CleanedUp.Enqueue(id);
        return Task.CompletedTask;
    }
}

public sealed class InMemoryTask : ITask
{
    private readonly TaskCompletionSource<TaskExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<TaskFrame> _output = Channel.CreateUnbounded<TaskFrame>();

    public InMemoryTask(string id, int pid, bool crashed = false)
    {
        Id = id;
        Pid = pid;
        if (crashed) Crash();
    }

    public string Id { get; }
    public int Pid { get; }
    public int SupervisorPid => Pid - 1;
    public bool Started { get; private set; }
    public bool Paused { get; private set; }
    public bool Deleted { get; private set; }
    public LinuxResources? Resources { get; private set; }
    public List<int> Signals { get; } = [];

    public void Exit(int code)
    {
        _output.Writer.TryComplete();
        _exit.TrySetResult(new TaskExit(code, DateTime.UtcNow, false));
    }

    /// <summary>The supervisor died without an exit: what a real task reports then.</summary>
    public void Crash() => Exit(255);

    /// <summary>Output the container writes, as attach sessions see it.</summary>
    public void Write(string text) => _output.Writer.TryWrite(new TaskFrame(TaskFrameKind.Stdout, Encoding.UTF8.GetBytes(text)));

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        Started = true;
        return Task.CompletedTask;
    }

    public Task KillAsync(int signal, bool all, CancellationToken cancellationToken = default)
    {
        if (_exit.Task.IsCompleted) throw new TaskGoneException("task has exited");
        Signals.Add(signal);
        if (signal is 9 or 15) Exit(128 + signal);
        return Task.CompletedTask;
    }

    public Task PauseAsync(CancellationToken cancellationToken = default)
    {
        Paused = true;
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        Paused = false;
        return Task.CompletedTask;
    }

    public Task ResizeAsync(int height, int width, int? execPid, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task UpdateAsync(LinuxResources resources, CancellationToken cancellationToken = default)
    {
        Resources = resources;
        return Task.CompletedTask;
    }

    public Task ReopenLogAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<int>> PidsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<int>>([Pid]);

    public Task<TaskExit> WaitAsync(CancellationToken cancellationToken = default) => _exit.Task.WaitAsync(cancellationToken);

    public Task<ITaskStream> AttachAsync(bool stdin, bool stdout, bool stderr, CancellationToken cancellationToken = default) =>
        Task.FromResult<ITaskStream>(new ChannelStream(_output.Reader));

    public Task<(int Pid, ITaskStream Stream)> ExecAsync(ReadOnlyMemory<byte> processJson, bool stdin, CancellationToken cancellationToken = default)
    {
        var exec = Channel.CreateUnbounded<TaskFrame>();
        exec.Writer.TryWrite(new TaskFrame(TaskFrameKind.Exit, default, 0));
        exec.Writer.TryComplete();
        return Task.FromResult<(int, ITaskStream)>((Pid + 100, new ChannelStream(exec.Reader)));
    }

    public Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        Deleted = true;
        return Task.CompletedTask;
    }

    private sealed class ChannelStream(ChannelReader<TaskFrame> frames) : ITaskStream
    {
        public async ValueTask<TaskFrame?> ReadFrameAsync(CancellationToken cancellationToken = default) =>
            await frames.WaitToReadAsync(cancellationToken) && frames.TryRead(out var frame) ? frame : null;

        public ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task CloseStdinAsync() => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
