using Berth.Cri.Streaming;
using Berth.Cri.V1;
using Grpc.Core;

namespace Berth.Cri.Runtime;

/// <summary>
/// <c>Exec</c>, <c>Attach</c> and <c>PortForward</c> check the request and answer a single-use URL of the streaming
/// server, where the client then speaks SPDY (<see cref="StreamServer"/>); kubelet's streaming server checks the same.
/// </summary>
internal sealed partial class CriRuntimeService
{
    public override Task<ExecResponse> Exec(ExecRequest request, ServerCallContext context)
    {
        CheckStreams(request.ContainerId, request.Tty, request.Stdin, request.Stdout, request.Stderr);
        if (request.Cmd.Count == 0) throw new RpcException(new Status(StatusCode.InvalidArgument, "cmd must not be empty"));
        return Task.FromResult(new ExecResponse { Url = streaming.UrlFor(StreamServer.Exec, request) });
    }

    public override Task<AttachResponse> Attach(AttachRequest request, ServerCallContext context)
    {
        CheckStreams(request.ContainerId, request.Tty, request.Stdin, request.Stdout, request.Stderr);
        return Task.FromResult(new AttachResponse { Url = streaming.UrlFor(StreamServer.Attach, request) });
    }

    public override Task<PortForwardResponse> PortForward(PortForwardRequest request, ServerCallContext context)
    {
        if (PodSandboxes.StateOf(sandboxes.Get(request.PodSandboxId)) != PodSandboxState.SandboxReady)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"sandbox {request.PodSandboxId} is not ready"));
        return Task.FromResult(new PortForwardResponse { Url = streaming.UrlFor(StreamServer.PortForward, request) });
    }

    private void CheckStreams(string containerId, bool tty, bool stdin, bool stdout, bool stderr)
    {
        if (tty && stderr) throw new RpcException(new Status(StatusCode.InvalidArgument, "tty and stderr cannot both be true"));
        if (!stdin && !stdout && !stderr) throw new RpcException(new Status(StatusCode.InvalidArgument, "one of stdin, stdout, or stderr must be set"));
        var container = containers.Get(containerId);
        if (PodContainers.StatusOf(container).State != ContainerState.ContainerRunning)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"container {container.Id} is not running"));
    }
}
