using Berth.Cri.Network;
using Berth.Cri.Streaming;
using Berth.Cri.V1;
using Berth.Engine.System;
using Grpc.Core;

namespace Berth.Cri.Runtime;

/// <summary>
/// <c>runtime.v1.RuntimeService</c>: version and status here, pods in <see cref="PodSandboxes"/>, their containers in
/// <see cref="PodContainers"/>, stats in <see cref="Stats.PodStats"/>. Each call parses, makes the engine calls and answers; the calls not overridden
/// answer UNIMPLEMENTED.
/// </summary>
internal sealed partial class CriRuntimeService(PodSandboxes sandboxes, PodContainers containers, PodNetwork network, Stats.PodStats stats,
    StreamServer streaming)
    : RuntimeService.RuntimeServiceBase
{
    /// <summary>The CRI version Berth speaks, which crictl and kubelet check.</summary>
    public const string ApiVersion = "v1";

    public const string RuntimeName = "berth";

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse
        {
            Version = "0.1.0", // the kubelet runtime API's own version, which every CRI runtime answers
            RuntimeName = RuntimeName,
            RuntimeVersion = EngineVersion.Product,
            RuntimeApiVersion = ApiVersion,
        });

    /// <summary>
    /// kubelet's pod CIDR for the node: accepted and not kept, since pods take their addresses from the CNI
    /// configuration's own IPAM (containerd uses it only to fill a configuration template, which Berth has not).
    /// </summary>
    public override Task<UpdateRuntimeConfigResponse> UpdateRuntimeConfig(UpdateRuntimeConfigRequest request, ServerCallContext context) =>
        Task.FromResult(new UpdateRuntimeConfigResponse());

    /// <summary>Containers' cgroups are made by writing cgroupfs (kubelet checks its own driver matches).</summary>
    public override Task<RuntimeConfigResponse> RuntimeConfig(RuntimeConfigRequest request, ServerCallContext context) =>
        Task.FromResult(new RuntimeConfigResponse { Linux = new LinuxRuntimeConfiguration { CgroupDriver = CgroupDriver.Cgroupfs } });

    /// <summary>
    /// The runtime is ready while the daemon answers; the network once a CNI configuration is there (without one,
    /// kubelet runs only host-network pods, as with any CRI runtime).
    /// </summary>
    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        var networkReady = network.IsConfigured
            ? new RuntimeCondition { Type = "NetworkReady", Status = true }
            : new RuntimeCondition { Type = "NetworkReady", Status = false, Reason = "NetworkPluginNotReady", Message = "no CNI configuration found" };
        return Task.FromResult(new StatusResponse
        {
            Status = new RuntimeStatus { Conditions = { new RuntimeCondition { Type = "RuntimeReady", Status = true }, networkReady } },
        });
    }
}
