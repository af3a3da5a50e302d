using System.Text.Json;
using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Shim.Protocol;

namespace Berth.Engine.Tasks.Shim;

/// <summary>One task over its shim's socket: every call is one request; the runtime's refusals come back as errors.</summary>
internal sealed class ShimTask(ShimTaskRuntime runtime, string id, ShimClient client, int pid, int supervisorPid, Task<int>? exited) : ITask
{
    private const int SupervisorExitWaitMs = 10_000;

    public string Id => id;
    public int Pid => pid;
    public int SupervisorPid => supervisorPid;

    public Task StartAsync(CancellationToken cancellationToken = default) => Call(() => client.StartAsync(cancellationToken));

    public Task KillAsync(int signal, bool all, CancellationToken cancellationToken = default) =>
        Call(() => client.KillAsync(signal, all, cancellationToken));

    public Task PauseAsync(CancellationToken cancellationToken = default) => Call(() => client.PauseAsync(cancellationToken));

    public Task ResumeAsync(CancellationToken cancellationToken = default) => Call(() => client.ResumeAsync(cancellationToken));

    public Task ResizeAsync(int height, int width, int? execPid, CancellationToken cancellationToken = default) =>
        Call(() => client.ResizeAsync(height, width, execPid, cancellationToken));

    public Task ReopenLogAsync(CancellationToken cancellationToken = default) => Call(() => client.ReopenLogAsync(cancellationToken));

    public Task UpdateAsync(LinuxResources resources, CancellationToken cancellationToken = default) =>
        Call(() => client.UpdateAsync(JsonSerializer.SerializeToUtf8Bytes(resources, OciJsonContext.Default.LinuxResources), cancellationToken));

    public Task<IReadOnlyList<int>> PidsAsync(CancellationToken cancellationToken = default) => Call(() => client.PidsAsync(cancellationToken));

    public async Task<TaskExit> WaitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var exit = await client.WaitAsync(cancellationToken);
            return new TaskExit(exit.ExitCode, exit.ExitedAt, exit.OomKilled);
        }
        catch (Exception e) when (IsGone(e) || e is ShimException)
        {
            if (await runtime.ReadExitFileAsync(id) is { } recorded) return recorded;
            runtime.ShimDied(id);
            await runtime.CleanupAsync(id, CancellationToken.None);
            return new TaskExit(255, DateTime.UtcNow, false);
        }
    }

    public async Task<ITaskStream> AttachAsync(bool stdin, bool stdout, bool stderr, CancellationToken cancellationToken = default) =>
        new ShimTaskStream(await Call(() => client.AttachAsync(stdin, stdout, stderr, cancellationToken)));

    public async Task<(int Pid, ITaskStream Stream)> ExecAsync(ReadOnlyMemory<byte> processJson, bool stdin, CancellationToken cancellationToken = default)
    {
        var (execPid, stream) = await Call(() => client.ExecAsync(processJson, stdin, cancellationToken));
        return (execPid, new ShimTaskStream(stream));
    }

    /// <summary>The shim deletes the container itself once its exit is out: wait (bounded) for it to leave, then sweep.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (exited is not null) await Task.WhenAny(exited, Task.Delay(SupervisorExitWaitMs, cancellationToken));
        else if (IsOurShim(supervisorPid)) await Task.Run(() => WaitForExit(supervisorPid), cancellationToken);
        await runtime.CleanupAsync(id, cancellationToken);
    }

    /// <summary>A shim adopted after a daemon restart is known by its pid, which may since name another process.</summary>
    private bool IsOurShim(int pid)
    {
        try
        {
            return pid > 0 && File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(id);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits (bounded) for a process that is not our child, by its pidfd.</summary>
    private static void WaitForExit(int pid)
    {
        using var pidfd = ProcessCalls.TryPidfdOpen(pid);
        if (pidfd is not null) ProcessCalls.WaitExited(pidfd, SupervisorExitWaitMs);
    }

    internal static bool IsGone(Exception e) => e is ShimGoneException or ShimProtocolException or IOException;

    private static async Task Call(Func<Task> call) => await Call(async () => { await call(); return true; });

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ShimException e)
        {
            throw new TaskFailedException(e.Message, e);
        }
        catch (Exception e) when (IsGone(e))
        {
            throw new TaskGoneException(e.Message, e);
        }
    }
}
