using Berth.Cri.Images;
using Berth.Cri.Runtime;
using Berth.Cri.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Cri;

/// <summary>
/// The Kubernetes CRI (<c>runtime.v1</c>) over gRPC: <c>RuntimeService</c> and <c>ImageService</c>, served from the
/// engine that serves Docker's API. The host serves them on a socket of their own, in HTTP/2 only; the calls this
/// landing does not implement answer UNIMPLEMENTED (the generated base class does so).
/// </summary>
public static class CriServer
{
    /// <summary>gRPC with the one error mapper, and the CRI's own state; the engine's services must be registered by the caller.</summary>
    public static IServiceCollection AddBerthCri(this IServiceCollection services, CriOptions options)
    {
        services.AddGrpc(grpc => grpc.Interceptors.Add<EngineErrorInterceptor>());
        services.AddSingleton(options);
        services.AddSingleton<InfraImage>();
        services.AddSingleton<Network.PodNetwork>();
        services.AddSingleton<PodSandboxes>();
        services.AddSingleton<PodContainers>();
        services.AddSingleton<Stats.PodStats>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StreamRequests>();
        services.AddSingleton<StreamServer>();
        services.AddSingleton<ExecStreaming>();
        services.AddSingleton<PortForwarding>();
        return services;
    }

    /// <summary>What a daemon start owes the pods: the networks of those whose infra process died while it was down.</summary>
    public static Task RecoverAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<PodSandboxes>().ReleaseDeadNetworksAsync(cancellationToken);

    public static IEndpointRouteBuilder MapBerthCri(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<CriRuntimeService>();
        endpoints.MapGrpcService<CriImageService>();
        StreamServer.Map(endpoints);
        return endpoints;
    }
}
