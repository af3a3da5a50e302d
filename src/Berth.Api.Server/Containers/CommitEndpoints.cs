using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Images;
using Berth.Api.Server.Compat;
using Berth.Engine;
using Berth.Engine.Containers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Containers;

/// <summary>
/// <code>
/// POST /commit?container=&amp;repo=&amp;tag=&amp;comment=&amp;author=&amp;pause=&amp;changes= (body: a Config or null) → 201 {Id}
/// </code>
/// </summary>
public static class CommitEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/commit", Commit);

    private static async Task Commit(HttpContext c)
    {
        var container = Query.String(c.Request, "container")
            ?? throw new EngineException(ErrorKind.InvalidArgument, "No container name or ID supplied");
        var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.ContainerConfig, () => new ContainerConfig());
        var repo = Query.String(c.Request, "repo");
        var tag = Query.String(c.Request, "tag");
        var id = await c.RequestServices.GetRequiredService<ContainerService>().CommitAsync(container, new CommitRequest
        {
            Reference = string.IsNullOrEmpty(repo) ? null : string.IsNullOrEmpty(tag) ? repo : $"{repo}:{tag}",
            Comment = Query.String(c.Request, "comment"),
            Author = Query.String(c.Request, "author"),
            Pause = Query.Bool(c.Request, "pause", absent: true),
            Changes = [.. c.Request.Query["changes"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)],
            Config = ContainerCreateMapper.ToEngine(body),
        }, c.RequestAborted);
        await Json.WriteAsync(c.Response, StatusCodes.Status201Created, new IdResponse { Id = id }, ApiJsonContext.Default.IdResponse);
    }
}
