using Berth.Engine.Containers;
using Berth.Runtime;
using Berth.Runtime.Containers;
using Berth.Shim.Protocol;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Tasks.Shim;

/// <summary>
/// Tasks over <c>berth-shim</c>: one shim per task, launched from berthd and left running across daemon restarts; it
/// holds the container's stdio, writes its log and exit file, and serves the task's calls on its socket.
/// </summary>
public sealed partial class ShimTaskRuntime(EngineOptions options, ILogger<ShimTaskRuntime> logger) : ITaskRuntime
{
    private readonly ContainerLayout _layout = new(options);

    public async Task<ITask> CreateAsync(TaskCreateOptions task, CancellationToken cancellationToken = default)
    {
        File.Delete(_layout.ExitFile(task.Id));
        ShimProcess shim;
        try
        {
            shim = await ShimLauncher.LaunchAsync(Launch(task), cancellationToken);
        }
        catch (ShimException e)
        {
            throw new TaskFailedException(e.Message, e);
        }
        return new ShimTask(this, task.Id, shim.Client, shim.ContainerPid, shim.Pid, shim.Exited);
    }

    public ITask Connect(string id, int pid, int supervisorPid) => new ShimTask(this, id, Client(id), pid, supervisorPid, exited: null);

    public async Task CleanupAsync(string id, CancellationToken cancellationToken = default)
    {
        var socket = _layout.ShimSocket(id);
        if (File.Exists(socket))
        {
            var shim = new ShimClient(socket);
            try
            {
                await shim.KillAsync(Berth.Linux.Signals.SIGKILL, all: true, cancellationToken);
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(TimeSpan.FromSeconds(10));
                await shim.WaitAsync(bounded.Token);
            }
            catch (Exception e) when (ShimTask.IsGone(e) || e is ShimException or OperationCanceledException)
            {
                // nothing answers there, or it is already stopping: the forced delete below finishes the job
            }
            TryDelete(socket);
        }
        foreach (var runtime in Runtimes())
        {
            try
            {
                runtime.Delete(id, force: true);
            }
            catch (Exception e) when (e is RuntimeException or IOException)
            {
                LogCleanupFailed(logger, id, e);
            }
        }
    }

    /// <summary>berth-runtime and every other runtime: the one that ran a task is not recorded, and a delete where nothing is left is a no-op.</summary>
    private IEnumerable<IOciRuntime> Runtimes()
    {
        yield return new ContainerRuntime(new RuntimeOptions { Root = _layout.RuntimeRoot, StageExecutable = options.RuntimePath });
        foreach (var (name, binary) in options.Runtimes) yield return new CommandLineRuntime(binary, _layout.RuntimeRootOf(name));
    }

    internal ShimClient Client(string id) => new(_layout.ShimSocket(id), _layout.ExitFile(id));

    /// <summary>The exit the shim recorded in its exit file, once its rename is visible; null when it never wrote one.</summary>
    internal async Task<TaskExit?> ReadExitFileAsync(string id)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (ShimClient.ReadExitFile(_layout.ExitFile(id)) is { } exit) return new TaskExit(exit.ExitCode, exit.ExitedAt, exit.OomKilled);
            await Task.Delay(20);
        }
        return null;
    }

    internal void ShimDied(string id) => LogShimDied(logger, id);

    private ShimLaunchRequest Launch(TaskCreateOptions task) => new()
    {
        ShimPath = options.ShimPath,
        DiagnosticsFile = _layout.ShimLog(task.Id),
        // berthd started with BERTH_RUNTIME_TRACE: the shim and its runtime stages mark their phases in the shim's log
        Environment = [.. ShimLaunchRequest.DefaultEnvironment, .. RuntimeTrace.Inherited],
        Options = new ShimOptions
        {
            Stage = options.RuntimePath,
            Runtime = options.RuntimeBinary(task.Runtime),
            Id = task.Id,
            Bundle = task.Bundle,
            RuntimeRoot = _layout.RuntimeRootOf(task.Runtime),
            Socket = _layout.ShimSocket(task.Id),
            Log = task.Log,
            NoLog = task.LogRotation is null,
            LogMaxSize = task.LogRotation?.MaxSize ?? -1,
            LogMaxFiles = task.LogRotation?.MaxFiles ?? 1,
            LogCompress = task.LogRotation?.Compress ?? false,
            CriLog = task.CriLog,
            ExitFile = _layout.ExitFile(task.Id),
            Tty = task.Tty,
            Stdin = task.Stdin,
            StdinOnce = task.StdinOnce,
            ConsoleHeight = task.ConsoleHeight,
            ConsoleWidth = task.ConsoleWidth,
        },
    };

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "container {Id}: its shim died without recording an exit; killing what it left")]
    private static partial void LogShimDied(ILogger logger, string id);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "container {Id}: removing what its task left failed")]
    private static partial void LogCleanupFailed(ILogger logger, string id, Exception error);
}
