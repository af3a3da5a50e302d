using Berth.Api.Models;
using Berth.Api.Models.Networks;
using Berth.Api.Server.Compat;
using Berth.Engine.Containers;
using Berth.Engine.Networks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Networks;

/// <summary>
/// <code>
/// GET    /networks?filters=            → [Network] (Containers empty, as Docker lists them)
/// GET    /networks/{id}                → Network with its endpoints; 404 network x not found
/// POST   /networks/create              → 201 {Id,Warning}; 409 name taken; 403 predefined or overlapping pool
/// DELETE /networks/{id}                → 204; 403 predefined or active endpoints
/// POST   /networks/{id}/connect        → 200
/// POST   /networks/{id}/disconnect     → 200
/// POST   /networks/prune?filters=      → {NetworksDeleted}
/// </code>
/// </summary>
public static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/networks", c =>
        {
            var list = Networks(c).List(Query.Filters(c.Request)).Select(n => NetworkMapper.ToWire(n, null)).ToList();
            return Json.WriteAsync(c.Response, list, ApiJsonContext.Default.ListNetworkResource);
        });
        routes.MapGet("/networks/{id}", c =>
        {
            var service = Networks(c);
            var network = service.Get(Id(c));
            return Json.WriteAsync(c.Response, NetworkMapper.ToWire(network, service.Members(network.Id)), ApiJsonContext.Default.NetworkResource);
        });
        routes.MapPost("/networks/create", async c =>
        {
            var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.NetworkCreateRequest, () => new NetworkCreateRequest());
            var network = Networks(c).Create(NetworkMapper.ToEngine(body));
            await Json.WriteAsync(c.Response, StatusCodes.Status201Created, new NetworkCreateResponse { Id = network.Id },
                ApiJsonContext.Default.NetworkCreateResponse);
        });
        routes.MapDelete("/networks/{id}", c =>
        {
            Networks(c).Remove(Id(c));
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        routes.MapPost("/networks/{id}/connect", async c =>
        {
            var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.NetworkConnectRequest, () => new NetworkConnectRequest());
            await Containers(c).ConnectNetworkAsync(body.Container, Id(c), ContainerCreateMapper.ToEngine(body.EndpointConfig), c.RequestAborted);
            c.Response.StatusCode = StatusCodes.Status200OK;
        });
        routes.MapPost("/networks/{id}/disconnect", async c =>
        {
            var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.NetworkDisconnectRequest, () => new NetworkDisconnectRequest());
            await Containers(c).DisconnectNetworkAsync(body.Container, Id(c), body.Force, c.RequestAborted);
            c.Response.StatusCode = StatusCodes.Status200OK;
        });
        routes.MapPost("/networks/prune", c =>
        {
            var deleted = Networks(c).Prune(Query.Filters(c.Request));
            return Json.WriteAsync(c.Response, new NetworkPruneResponse { NetworksDeleted = [.. deleted] }, ApiJsonContext.Default.NetworkPruneResponse);
        });
    }

    private static NetworkService Networks(HttpContext c) => c.RequestServices.GetRequiredService<NetworkService>();

    private static ContainerService Containers(HttpContext c) => c.RequestServices.GetRequiredService<ContainerService>();

    private static string Id(HttpContext c) => (string)c.Request.RouteValues["id"]!;
}
