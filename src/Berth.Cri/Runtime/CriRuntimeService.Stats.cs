using Berth.Cri.V1;
using Grpc.Core;

namespace Berth.Cri.Runtime;

internal sealed partial class CriRuntimeService
{
    public override async Task<ContainerStatsResponse> ContainerStats(ContainerStatsRequest request, ServerCallContext context) =>
        new() { Stats = await stats.ContainerAsync(request.ContainerId, context.CancellationToken) };

    public override async Task<ListContainerStatsResponse> ListContainerStats(ListContainerStatsRequest request, ServerCallContext context) =>
        new() { Stats = { await stats.ContainersAsync(request.Filter, context.CancellationToken) } };

    public override async Task<PodSandboxStatsResponse> PodSandboxStats(PodSandboxStatsRequest request, ServerCallContext context) =>
        new() { Stats = await stats.SandboxAsync(request.PodSandboxId, context.CancellationToken) };

    public override async Task<ListPodSandboxStatsResponse> ListPodSandboxStats(ListPodSandboxStatsRequest request, ServerCallContext context) =>
        new() { Stats = { await stats.SandboxesAsync(request.Filter, context.CancellationToken) } };
}
