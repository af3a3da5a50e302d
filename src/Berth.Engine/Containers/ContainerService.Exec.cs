using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Engine.Containers.Model;
using Berth.Engine.Diagnostics;
using Berth.Engine.Tasks;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

/// <summary>Docker's exec config (the create body).</summary>
public sealed record ExecConfig
{
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool Tty { get; init; }
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; }
    public bool AttachStderr { get; init; }
    public bool Privileged { get; init; }
    public string? DetachKeys { get; init; }
    public ConsoleSize? ConsoleSize { get; init; }
}

/// <summary>One exec: its config, and once started its pid, then its exit code.</summary>
public sealed class ExecInstance(string id, string containerId, ExecConfig config)
{
    public string Id { get; } = id;
    public string ContainerId { get; } = containerId;
    public ExecConfig Config { get; } = config;
    public bool Running { get; internal set; }
    public int Pid { get; internal set; }
    public int? ExitCode { get; internal set; }
    internal bool Started { get; set; }
}

public sealed partial class ContainerService
{
    private readonly ConcurrentDictionary<string, ExecInstance> _execs = new();

    public ExecInstance CreateExec(string idOrName, ExecConfig config)
    {
        var container = Get(idOrName);
        if (container.State.Status == ContainerStatus.Paused)
            throw new EngineException(ErrorKind.Conflict, $"Container {container.Id} is paused, unpause the container before exec");
        RunningOrConflict(container);
        if (config.Cmd.Count == 0) throw new EngineException(ErrorKind.InvalidArgument, "No exec command specified");
        try
        {
            DetachKeys.Parse(config.DetachKeys);
        }
        catch (EngineException)
        {
            throw new EngineException(ErrorKind.InvalidArgument, $"Invalid escape keys ({config.DetachKeys}) provided");
        }
        var exec = new ExecInstance(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), container.Id, config);
        _execs[exec.Id] = exec;
        Publish(container, "exec_create: " + string.Join(' ', config.Cmd), new Dictionary<string, string> { ["execID"] = exec.Id });
        return exec;
    }

    public ExecInstance GetExec(string id) =>
        _execs.TryGetValue(id, out var exec) ? exec : throw new EngineException(ErrorKind.NotFound, $"No such exec instance: {id}");

    /// <summary>The container's execs that have not ended (moby drops an exec from the container's list when it exits).</summary>
    public IReadOnlyList<string> ExecIds(string containerId) =>
        [.. _execs.Values.Where(e => e.ContainerId == containerId && e.ExitCode is null).Select(e => e.Id)];

    /// <summary>What would make <see cref="StartExecAsync"/> fail at once: an unknown exec, one that ran, a stopped container.</summary>
    public ExecInstance CheckExecStart(string execId)
    {
        var exec = GetExec(execId);
        if (exec.Started) throw new EngineException(ErrorKind.Conflict, $"Exec command {exec.Id} has already run");
        var container = Get(exec.ContainerId);
        if (container.State.Status == ContainerStatus.Paused)
            throw new EngineException(ErrorKind.Conflict, $"Container {container.Id} is paused, unpause the container before exec");
        RunningOrConflict(container);
        return exec;
    }

    /// <summary>
    /// Runs the exec in the container through its shim. Attached: returns the session (its output ends after the exit
    /// code was recorded, so an inspect right after EOF sees it). Detached: returns null once the process runs.
    /// </summary>
    public async Task<StreamSession?> StartExecAsync(string execId, bool detach, ConsoleSize? consoleSize, CancellationToken cancellationToken = default)
    {
        var exec = GetExec(execId);
        var phases = Phases.Start(_logger);
        lock (exec)
        {
            if (exec.Started) throw new EngineException(ErrorKind.Conflict, $"Exec command {exec.Id} has already run");
            exec.Started = true;
        }
        var container = Get(exec.ContainerId);
        var run = RunningOrConflict(container);
        var process = ExecProcess(container, exec.Config, consoleSize ?? exec.Config.ConsoleSize);
        var session = new StreamSession(exec.Config.Tty, exec.Config.AttachStdin && !detach, !detach && exec.Config.AttachStdout,
            !detach && exec.Config.AttachStderr, DetachKeys.Parse(exec.Config.DetachKeys));
        int pid;
        ITaskStream stream;
        try
        {
            (pid, stream) = await run.Task.ExecAsync(process, session.Stdin, cancellationToken);
        }
        catch (TaskFailedException e)
        {
            exec.ExitCode = StartFailureExitCode(e.Message) == 127 ? 127 : 126;
            throw new EngineException(ErrorKind.System, $"OCI runtime exec failed: exec failed: unable to start container process: {e.Message}: unknown", e);
        }
        phases.Mark("task.exec");
        exec.Pid = pid;
        exec.Running = true;
        Publish(container, "exec_start: " + string.Join(' ', exec.Config.Cmd), new Dictionary<string, string> { ["execID"] = exec.Id });
        session.Connect(stream, code =>
        {
            exec.ExitCode = code;
            exec.Running = false;
            Publish(container, "exec_die", new Dictionary<string, string> { ["execID"] = exec.Id, ["exitCode"] = code.ToString() });
            phases.Mark("process");
            if (phases.Enabled) LogPhases(_logger, container.Id, "exec", phases);
        });
        if (!detach) return session;
        _ = DrainAsync(session);
        return null;
    }

    public async Task ResizeExecAsync(string execId, ushort height, ushort width, CancellationToken cancellationToken = default)
    {
        var exec = GetExec(execId);
        var run = RunningOrConflict(Get(exec.ContainerId));
        if (!exec.Running) throw new EngineException(ErrorKind.Conflict, $"Exec {exec.Id} is not running");
        await run.Task.ResizeAsync(height, width, exec.Pid, cancellationToken);
    }

    private static async Task DrainAsync(StreamSession session)
    {
        await foreach (var _ in session.Output.ReadAllAsync()) { }
    }

    /// <summary>The exec's OCI process: the container's process (capabilities, rlimits, env) with the exec's changes.</summary>
    private byte[] ExecProcess(Container container, ExecConfig config, ConsoleSize? consoleSize)
    {
        var spec = SpecReader.Read(File.ReadAllBytes(Path.Combine(Layout.Dir(container.Id), "config.json")));
        var process = spec.Process ?? throw new EngineException(ErrorKind.System, "the container's bundle has no process");
        process.Args = [.. config.Cmd];
        // moby's CreateDaemonEnvironment: a terminal gets TERM=xterm, which the exec's own env may override.
        process.Env = MergeEnv(MergeEnv(process.Env ?? [], config.Tty ? ["TERM=xterm"] : []), config.Env);
        if (!string.IsNullOrEmpty(config.WorkingDir)) process.Cwd = config.WorkingDir;
        if (!string.IsNullOrEmpty(config.User)) process.User = _bundles.ResolveUser(Layout.Rootfs(container.Id), config.User, container.HostConfig);
        process.Terminal = config.Tty;
        process.ConsoleSize = config.Tty && consoleSize is { } size ? new Box { Height = size.Height, Width = size.Width } : null;
        if (config.Privileged) process.Capabilities = _bundles.AllCapabilities();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) ProcessWriter.Write(writer, process);
        return buffer.ToArray();
    }

    private static List<string> MergeEnv(IReadOnlyList<string> base_, IReadOnlyList<string> overrides)
    {
        var result = base_.ToList();
        foreach (var entry in overrides)
        {
            var key = entry.Split('=', 2)[0];
            var index = result.FindIndex(e => e.Split('=', 2)[0] == key);
            if (index >= 0) result[index] = entry;
            else result.Add(entry);
        }
        return result;
    }
}
