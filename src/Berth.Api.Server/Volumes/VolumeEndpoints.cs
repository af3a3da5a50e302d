using Berth.Api.Models;
using Berth.Api.Models.Volumes;
using Berth.Api.Server.Compat;
using Berth.Engine.Volumes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Volumes;

/// <summary>
/// <code>
/// GET    /volumes?filters=        → {Volumes,Warnings}
/// POST   /volumes/create          → 201 Volume (an existing name returns it)
/// GET    /volumes/{name}          → Volume | 404
/// DELETE /volumes/{name}?force=   → 204 | 404 | 409
/// POST   /volumes/prune?filters=  → {VolumesDeleted,SpaceReclaimed} (named ones too for clients below API 1.42)
/// </code>
/// </summary>
public static class VolumeEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/volumes", List);
        routes.MapPost("/volumes/create", Create);
        routes.MapPost("/volumes/prune", Prune);
        routes.MapGet("/volumes/{name}", c =>
            Json.WriteAsync(c.Response, VolumeMapper.ToWire(Service(c).Get(Name(c))), ApiJsonContext.Default.Volume));
        routes.MapDelete("/volumes/{name}", c =>
        {
            Service(c).Remove(Name(c), Query.Bool(c.Request, "force"));
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    private static VolumeService Service(HttpContext c) => c.RequestServices.GetRequiredService<VolumeService>();

    private static string Name(HttpContext c) => (string)c.Request.RouteValues["name"]!;

    private static Task List(HttpContext c)
    {
        var volumes = Service(c).List(Query.Filters(c.Request));
        return Json.WriteAsync(c.Response, new VolumeListResponse { Volumes = [.. volumes.Select(VolumeMapper.ToWire)], Warnings = null },
            ApiJsonContext.Default.VolumeListResponse);
    }

    private static async Task Create(HttpContext c)
    {
        var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.VolumeCreateRequest, () => new VolumeCreateRequest());
        var volume = Service(c).Create(body.Name, body.Driver, body.DriverOpts, body.Labels);
        await Json.WriteAsync(c.Response, StatusCodes.Status201Created, VolumeMapper.ToWire(volume), ApiJsonContext.Default.Volume);
    }

    /// <summary>Before API 1.42 a prune took named volumes too: such clients get <c>all=true</c>, as moby's router adds it.</summary>
    private static Task Prune(HttpContext c)
    {
        var filters = Query.Filters(c.Request);
        if (c.Items[ApiVersioning.RequestedVersionKey] is Version requested && requested < new Version(1, 42) && !filters.ContainsKey("all"))
            filters = new Dictionary<string, IReadOnlyList<string>>(filters) { ["all"] = ["true"] };
        var (deleted, reclaimed) = Service(c).Prune(filters);
        return Json.WriteAsync(c.Response, new VolumePruneResponse { VolumesDeleted = [.. deleted], SpaceReclaimed = (ulong)reclaimed },
            ApiJsonContext.Default.VolumePruneResponse);
    }
}
