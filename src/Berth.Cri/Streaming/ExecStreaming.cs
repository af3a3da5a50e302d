using Berth.Cri.Runtime;
using Berth.Cri.V1;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Spdy;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Berth.Cri.Streaming;

/// <summary>
/// The exec and attach URLs: the client upgrades, opens its streams (<see cref="RemoteCommandStreams"/>), and the
/// engine's exec or attach runs joined to them (<see cref="SessionPump"/>); the outcome goes on the error stream.
/// An exec whose client leaves is killed, as containerd kills it; an attach only lets go.
/// </summary>
internal sealed class ExecStreaming(ContainerService engine, PodContainers containers)
{
    /// <summary>How long the client has to close the session once the status was sent, before the server closes it.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    public async Task ServeExecAsync(HttpContext context)
    {
        if (await StreamServer.TakeAsync<ExecRequest>(context) is not { } request) return;
        await ServeAsync(context, request.Stdin, request.Stdout, request.Stderr, request.Tty, (streams, clientGone) => ExecAsync(request, streams, clientGone));
    }

    public async Task ServeAttachAsync(HttpContext context)
    {
        if (await StreamServer.TakeAsync<AttachRequest>(context) is not { } request) return;
        await ServeAsync(context, request.Stdin, request.Stdout, request.Stderr, request.Tty, (streams, clientGone) => AttachAsync(request, streams, clientGone));
    }

    private static async Task ServeAsync(HttpContext context, bool stdin, bool stdout, bool stderr, bool tty,
        Func<RemoteCommandStreams, CancellationToken, Task<CommandStatus>> run)
    {
        if (await SpdyUpgrade.AcceptAsync(context, RemoteCommandStreams.Protocols) is not var (connection, protocol)) return;
        await using (connection)
        {
            if (await RemoteCommandStreams.AcceptAsync(connection, protocol, stdin, stdout, stderr, tty) is not { } streams) return;
            using var clientGone = new CancellationTokenSource();
            _ = connection.Closed.ContinueWith(_ => clientGone.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var status = await run(streams, clientGone.Token);
            await streams.WriteStatusAsync(status);
            // The client closes the session once it read the status; closing first could cut what it has not read.
            await Task.WhenAny(connection.Closed, Task.Delay(Linger));
        }
    }

    private async Task<CommandStatus> ExecAsync(ExecRequest request, RemoteCommandStreams streams, CancellationToken clientGone)
    {
        ExecInstance exec;
        StreamSession session;
        try
        {
            exec = engine.CreateExec(containers.Get(request.ContainerId).Id, new ExecConfig
            {
                Cmd = [.. request.Cmd],
                Tty = request.Tty,
                AttachStdin = request.Stdin,
                AttachStdout = request.Stdout,
                AttachStderr = request.Stderr,
            });
            session = await engine.StartExecAsync(exec.Id, detach: false, consoleSize: null, clientGone)
                ?? throw new InvalidOperationException("an attached exec has a session");
        }
        catch (Exception e) when (e is EngineException or RpcException)
        {
            return CommandStatus.Failed($"error executing command in container: {Message(e)}");
        }
        await SessionPump.RunAsync(session, streams, (height, width) => engine.ResizeExecAsync(exec.Id, height, width), clientGone);
        if (clientGone.IsCancellationRequested && exec.ExitCode is null) PodContainers.Kill(exec.Pid);
        return await session.ExitCode is { } code
            ? CommandStatus.Exited(exec.Config.Cmd, code)
            : CommandStatus.Failed("error executing command in container: the exec ended without an exit code");
    }

    private async Task<CommandStatus> AttachAsync(AttachRequest request, RemoteCommandStreams streams, CancellationToken clientGone)
    {
        string id;
        StreamSession session;
        try
        {
            id = containers.Get(request.ContainerId).Id;
            session = await engine.AttachAsync(id, new AttachOptions(Stream: true, request.Stdin, request.Stdout, request.Stderr, Logs: false), clientGone);
        }
        catch (Exception e) when (e is EngineException or RpcException)
        {
            return CommandStatus.Failed($"error attaching to container: {Message(e)}");
        }
        await SessionPump.RunAsync(session, streams, (height, width) => engine.ResizeAsync(id, height, width), clientGone);
        return CommandStatus.Succeeded;
    }

    private static string Message(Exception e) => e is RpcException rpc ? rpc.Status.Detail : e.Message;
}
