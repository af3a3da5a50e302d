using Berth.Cri.V1;
using Grpc.Core;

namespace Berth.Cri.Runtime;

internal sealed partial class CriRuntimeService
{
    public override async Task<CreateContainerResponse> CreateContainer(CreateContainerRequest request, ServerCallContext context) =>
        new() { ContainerId = await containers.CreateAsync(request.PodSandboxId, request.Config ?? new ContainerConfig(), context.CancellationToken) };

    public override async Task<StartContainerResponse> StartContainer(StartContainerRequest request, ServerCallContext context)
    {
        await containers.StartAsync(request.ContainerId, context.CancellationToken);
        return new StartContainerResponse();
    }

    public override async Task<StopContainerResponse> StopContainer(StopContainerRequest request, ServerCallContext context)
    {
        await containers.StopAsync(request.ContainerId, request.Timeout, context.CancellationToken);
        return new StopContainerResponse();
    }

    public override async Task<RemoveContainerResponse> RemoveContainer(RemoveContainerRequest request, ServerCallContext context)
    {
        await containers.RemoveAsync(request.ContainerId, context.CancellationToken);
        return new RemoveContainerResponse();
    }

    public override async Task<UpdateContainerResourcesResponse> UpdateContainerResources(UpdateContainerResourcesRequest request, ServerCallContext context)
    {
        await containers.UpdateAsync(request.ContainerId, request.Linux ?? new LinuxContainerResources(), context.CancellationToken);
        return new UpdateContainerResourcesResponse();
    }

    public override async Task<ReopenContainerLogResponse> ReopenContainerLog(ReopenContainerLogRequest request, ServerCallContext context)
    {
        await containers.ReopenLogAsync(request.ContainerId, context.CancellationToken);
        return new ReopenContainerLogResponse();
    }

    public override Task<ContainerStatusResponse> ContainerStatus(ContainerStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new ContainerStatusResponse { Status = containers.Status(request.ContainerId) });

    public override Task<ListContainersResponse> ListContainers(ListContainersRequest request, ServerCallContext context) =>
        Task.FromResult(new ListContainersResponse { Containers = { containers.List(request.Filter) } });

    public override async Task<ExecSyncResponse> ExecSync(ExecSyncRequest request, ServerCallContext context)
    {
        var result = await containers.ExecSyncAsync(request.ContainerId, [.. request.Cmd], request.Timeout, context.CancellationToken);
        return new ExecSyncResponse
        {
            Stdout = Google.Protobuf.ByteString.CopyFrom(result.Stdout),
            Stderr = Google.Protobuf.ByteString.CopyFrom(result.Stderr),
            ExitCode = result.ExitCode,
        };
    }
}
