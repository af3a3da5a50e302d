using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Cri.Streaming;

/// <summary>
/// The streaming server's URLs: <c>Exec</c>, <c>Attach</c> and <c>PortForward</c> answer
/// <c>http://ADDRESS/{exec,attach,portforward}/TOKEN</c> on the host's TCP listener (127.0.0.1 by default: the client,
/// crictl or kubelet's proxy, runs on the node), where the client upgrades to SPDY/3.1.
/// </summary>
internal sealed class StreamServer(StreamRequests requests, IServer server)
{
    public const string Exec = "exec", Attach = "attach", PortForward = "portforward";

    public string UrlFor(string kind, object request) => $"{BaseUrl()}/{kind}/{requests.Add(request)}";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Map($"/{Exec}/{{token}}", context => context.RequestServices.GetRequiredService<ExecStreaming>().ServeExecAsync(context));
        endpoints.Map($"/{Attach}/{{token}}", context => context.RequestServices.GetRequiredService<ExecStreaming>().ServeAttachAsync(context));
        endpoints.Map($"/{PortForward}/{{token}}", context => context.RequestServices.GetRequiredService<PortForwarding>().ServeAsync(context));
    }

    /// <summary>The request a URL's token stands for, once; null (and a 404, as kubelet's) if it is unknown, spent or expired.</summary>
    public static async Task<T?> TakeAsync<T>(HttpContext context) where T : class
    {
        var token = context.Request.RouteValues["token"] as string ?? "";
        if (context.RequestServices.GetRequiredService<StreamRequests>().Take<T>(token) is { } request) return request;
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await context.Response.WriteAsync("404 page not found\n");
        return null;
    }

    /// <summary>The TCP listener's address as Kestrel bound it (a port 0 is known only then).</summary>
    private string BaseUrl() =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal) && !a.StartsWith("http://unix:", StringComparison.Ordinal))?.TrimEnd('/')
        ?? throw new RpcException(new Status(StatusCode.Unavailable, "the streaming server is not listening"));
}
