using Berth.Engine.Containers.Logs;

namespace Berth.Engine.Containers;

/// <summary>What a client attaches to (Docker's attach query); <paramref name="DetachKeys"/> null means Docker's default.</summary>
public sealed record AttachOptions(bool Stream, bool Stdin, bool Stdout, bool Stderr, bool Logs, string? DetachKeys = null);

public sealed partial class ContainerService
{
    /// <summary>
    /// Opens a session on the container's stdio. A running container's shim is joined at once; otherwise the session
    /// waits for the next start (the CLI attaches before it starts, so output from the first byte reaches it).
    /// </summary>
    public async Task<StreamSession> AttachAsync(string idOrName, AttachOptions options, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var session = new StreamSession(container.Config.Tty, options.Stdin && container.Config.OpenStdin, options.Stdout, options.Stderr,
            DetachKeys.Parse(options.DetachKeys));
        if (options.Logs) await ReplayLogsAsync(container, session, options, cancellationToken);
        if (!options.Stream)
        {
            session.Complete();
            return session;
        }
        ContainerRun? run;
        lock (container.Lock)
        {
            run = container.State.IsRunning ? container.Run : null;
            if (run is null) container.PendingAttaches.Add(session);
        }
        if (run is not null) await ConnectAttachAsync(run, session, cancellationToken);
        Publish(container, "attach");
        return session;
    }

    public async Task ResizeAsync(string idOrName, ushort height, ushort width, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var run = RunningOrConflict(container);
        await run.Task.ResizeAsync(height, width, null, cancellationToken);
        Publish(container, "resize", new Dictionary<string, string> { ["height"] = height.ToString(), ["width"] = width.ToString() });
    }

    /// <summary>The container's log, as Docker's <c>logs</c> reads it; <see cref="LogOptions.Follow"/> ends when the run does.</summary>
    public (bool Tty, IAsyncEnumerable<LogEntry> Entries) Logs(string idOrName, LogOptions options, CancellationToken cancellationToken)
    {
        var container = Get(idOrName);
        if (!options.Stdout && !options.Stderr)
            throw new EngineException(ErrorKind.InvalidArgument, "Bad parameters: you must choose at least one stream");
        if (container.HostConfig.LogConfig.Type == LogDrivers.None)
            throw new EngineException(ErrorKind.NotImplemented, "configured logging driver does not support reading");
        Task stopped = container.Run?.Exited ?? Task.CompletedTask;
        return (container.Config.Tty, JsonFileLog.ReadAsync(Layout.Log(container.Id), options, stopped, cancellationToken));
    }

    private static async Task ConnectAttachAsync(ContainerRun run, StreamSession session, CancellationToken cancellationToken)
    {
        var stream = await run.Task.AttachAsync(session.Stdin, session.Stdout, session.Stderr, cancellationToken);
        session.Connect(stream);
    }

    private async Task ReplayLogsAsync(Container container, StreamSession session, AttachOptions options, CancellationToken cancellationToken)
    {
        var logOptions = new LogOptions { Stdout = options.Stdout, Stderr = options.Stderr };
        await foreach (var entry in JsonFileLog.ReadAsync(Layout.Log(container.Id), logOptions, Task.CompletedTask, cancellationToken))
            await session.WriteReplayAsync(new OutputFrame((int)entry.Stream, entry.Data), cancellationToken);
    }
}
