using System.Diagnostics;
using Berth.Engine.Containers;
using Grpc.Core;

namespace Berth.Cri.Runtime;

/// <summary>What <c>ExecSync</c> answers: the command's whole output and its exit code.</summary>
internal sealed record ExecResult(byte[] Stdout, byte[] Stderr, int ExitCode);

internal sealed partial class PodContainers
{
    /// <summary>
    /// Runs <paramref name="command"/> in the container through the engine's exec and collects its output. Past
    /// <paramref name="timeoutSeconds"/> (0: none) the process is killed and the call fails with DEADLINE_EXCEEDED,
    /// as kubelet's probes expect.
    /// </summary>
    public async Task<ExecResult> ExecSyncAsync(string id, IReadOnlyList<string> command, long timeoutSeconds, CancellationToken cancellationToken)
    {
        var exec = engine.CreateExec(Get(id).Id, new ExecConfig { Cmd = command, AttachStdout = true, AttachStderr = true });
        await using var session = await engine.StartExecAsync(exec.Id, detach: false, consoleSize: null, cancellationToken)
            ?? throw new InvalidOperationException("an attached exec has a session");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeoutSeconds > 0) deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        try
        {
            await foreach (var frame in session.Output.ReadAllAsync(deadline.Token))
                (frame.Stream == 2 ? stderr : stdout).Write(frame.Data.Span);
        }
        catch (OperationCanceledException)
        {
            Kill(exec.Pid);
            if (cancellationToken.IsCancellationRequested) throw;
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"command '{string.Join(' ', command)}' timed out after {timeoutSeconds}s"));
        }
        return new ExecResult(stdout.ToArray(), stderr.ToArray(), await session.ExitCode ?? 0);
    }

    /// <summary>The exec's process, by its pid on the host (the engine has no kill for an exec; Docker's API has none either).</summary>
    internal static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }
}
