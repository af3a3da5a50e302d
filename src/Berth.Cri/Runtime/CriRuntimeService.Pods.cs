using Berth.Cri.V1;
using Grpc.Core;

namespace Berth.Cri.Runtime;

internal sealed partial class CriRuntimeService
{
    public override async Task<RunPodSandboxResponse> RunPodSandbox(RunPodSandboxRequest request, ServerCallContext context) =>
        new() { PodSandboxId = await sandboxes.RunAsync(request.Config ?? new PodSandboxConfig(), context.CancellationToken) };

    public override async Task<StopPodSandboxResponse> StopPodSandbox(StopPodSandboxRequest request, ServerCallContext context)
    {
        await sandboxes.StopAsync(request.PodSandboxId, context.CancellationToken);
        return new StopPodSandboxResponse();
    }

    public override async Task<RemovePodSandboxResponse> RemovePodSandbox(RemovePodSandboxRequest request, ServerCallContext context)
    {
        await sandboxes.RemoveAsync(request.PodSandboxId, context.CancellationToken);
        return new RemovePodSandboxResponse();
    }

    public override Task<PodSandboxStatusResponse> PodSandboxStatus(PodSandboxStatusRequest request, ServerCallContext context)
    {
        var response = sandboxes.Status(request.PodSandboxId);
        if (request.Verbose) response.ContainersStatuses.AddRange(sandboxes.ContainersOf(response.Status.Id).Select(PodContainers.StatusOf));
        return Task.FromResult(response);
    }

    public override Task<ListPodSandboxResponse> ListPodSandbox(ListPodSandboxRequest request, ServerCallContext context) =>
        Task.FromResult(new ListPodSandboxResponse { Items = { sandboxes.List(request.Filter) } });
}
