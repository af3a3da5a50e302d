using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Api.Server.Compat;
using Berth.Engine.Containers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Containers;

/// <summary>
/// <code>
/// GET    /containers/json              → [ContainerSummary]
/// POST   /containers/create?name=      → 201 {Id,Warnings}
/// GET    /containers/{id}/json         → ContainerInspectResponse
/// POST   /containers/{id}/start        → 204 | 304
/// POST   /containers/{id}/stop?t=&amp;signal= → 204 | 304
/// POST   /containers/{id}/restart      → 204
/// POST   /containers/{id}/kill?signal= → 204 | 409
/// POST   /containers/{id}/pause|unpause → 204
/// POST   /containers/{id}/rename?name= → 204
/// POST   /containers/{id}/wait?condition= → 200, headers flushed at once, then {StatusCode}
/// POST   /containers/{id}/resize?h=&amp;w= → 200
/// DELETE /containers/{id}?force=&amp;v=   → 204 (v: its anonymous volumes too)
/// POST   /containers/prune             → {ContainersDeleted,SpaceReclaimed}
/// POST   /containers/{id}/update       → {Warnings}
/// GET    /containers/{id}/stats?stream=&amp;one-shot= → one JSON reading, or one per second (chunked)
/// GET    /containers/{id}/logs         → stream (ContainerStreams)
/// GET    /containers/{id}/top?ps_args= → {Titles,Processes}
/// POST   /containers/{id}/attach       → hijacked (HijackHandler)
/// </code>
/// </summary>
public static class ContainerEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/containers/json", List);
        routes.MapPost("/containers/create", Create);
        routes.MapGet("/containers/{id}/json", Inspect);
        routes.MapPost("/containers/{id}/start", async c =>
        {
            await Service(c).StartAsync(Id(c), c.RequestAborted);
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapPost("/containers/{id}/stop", async c =>
        {
            await Service(c).StopAsync(Id(c), Query.Int(c.Request, "t"), Query.String(c.Request, "signal"), CancellationToken.None);
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapPost("/containers/{id}/restart", async c =>
        {
            await Service(c).RestartAsync(Id(c), Query.Int(c.Request, "t"), Query.String(c.Request, "signal"), CancellationToken.None);
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapPost("/containers/{id}/kill", async c =>
        {
            await Service(c).KillAsync(Id(c), Query.String(c.Request, "signal"), c.RequestAborted);
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapPost("/containers/{id}/pause", async c =>
        {
            await Service(c).PauseAsync(Id(c), c.RequestAborted);
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapPost("/containers/{id}/unpause", async c =>
        {
            await Service(c).UnpauseAsync(Id(c), c.RequestAborted);
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapPost("/containers/{id}/rename", c =>
        {
            Service(c).Rename(Id(c), Query.String(c.Request, "name") ?? "");
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        routes.MapPost("/containers/{id}/wait", Wait);
        routes.MapPost("/containers/{id}/resize", async c =>
        {
            var (h, w) = Size(c.Request);
            await Service(c).ResizeAsync(Id(c), h, w, c.RequestAborted);
        });
        routes.MapDelete("/containers/{id}", async c =>
        {
            await Service(c).RemoveAsync(Id(c), Query.Bool(c.Request, "force"), Query.Bool(c.Request, "v"), CancellationToken.None);
            c.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapPost("/containers/prune", Prune);
        routes.MapPost("/containers/{id}/update", Update);
        routes.MapGet("/containers/{id}/stats", Stats);
        routes.MapGet("/containers/{id}/logs", ContainerStreams.Logs);
        routes.MapGet("/containers/{id}/top", async c =>
        {
            var table = await Service(c).TopAsync(Id(c), Query.String(c.Request, "ps_args"), c.RequestAborted);
            await Json.WriteAsync(c.Response, new ContainerTopResponse
            {
                Titles = [.. table.Titles],
                Processes = [.. table.Processes.Select(p => p.ToList())],
            }, ApiJsonContext.Default.ContainerTopResponse);
        });
    }

    internal static ContainerService Service(HttpContext context) => context.RequestServices.GetRequiredService<ContainerService>();

    internal static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    internal static (ushort Height, ushort Width) Size(HttpRequest request) =>
        (checked((ushort)(Query.Int(request, "h") ?? 0)), checked((ushort)(Query.Int(request, "w") ?? 0)));

    private static async Task List(HttpContext c)
    {
        var containers = await Service(c).ListAsync(Query.Bool(c.Request, "all"), Query.Int(c.Request, "limit"), Query.Filters(c.Request), c.RequestAborted);
        var now = DateTime.UtcNow;
        var summaries = containers.Select(x => ContainerMapper.ToSummary(x, now)).ToList();
        if (Query.Bool(c.Request, "size"))
        {
            var images = c.RequestServices.GetRequiredService<Engine.Images.ImageService>();
            foreach (var summary in summaries)
            {
                summary.SizeRw = await images.WritableLayerSizeAsync(ContainerLayout.SnapshotKey(summary.Id), c.RequestAborted);
                summary.SizeRootFs = summary.SizeRw + await images.SizeOfAsync(summary.ImageID, c.RequestAborted);
            }
        }
        await Json.WriteAsync(c.Response, summaries, ApiJsonContext.Default.ListContainerSummary);
    }

    private static async Task Create(HttpContext c)
    {
        var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.ContainerCreateRequest, () => new ContainerCreateRequest());
        var (config, hostConfig) = ContainerCreateMapper.ToEngine(body);
        var endpoints = ContainerCreateMapper.Endpoints(body);
        var created = await Service(c).CreateAsync(Query.String(c.Request, "name"), config, hostConfig, endpoints, c.RequestAborted);
        await Json.WriteAsync(c.Response, StatusCodes.Status201Created,
            new ContainerCreateResponse { Id = created.Id, Warnings = [.. created.Warnings] }, ApiJsonContext.Default.ContainerCreateResponse);
    }

    private static Task Inspect(HttpContext c)
    {
        var service = Service(c);
        var container = service.Get(Id(c));
        return Json.WriteAsync(c.Response, ContainerMapper.ToInspect(container, service.Layout, service.ExecIds(container.Id)),
            ApiJsonContext.Default.ContainerInspectResponse);
    }

    /// <summary>The waiter is registered before the headers go out; the CLI starts the container only after they arrive.</summary>
    private static async Task Wait(HttpContext c)
    {
        var condition = Query.String(c.Request, "condition") switch
        {
            null or "not-running" => WaitCondition.NotRunning,
            "next-exit" => WaitCondition.NextExit,
            "removed" => WaitCondition.Removed,
            var other => throw new Engine.EngineException(Engine.ErrorKind.InvalidArgument, $"invalid condition: \"{other}\""),
        };
        var result = Service(c).Wait(Id(c), condition);
        c.Response.StatusCode = StatusCodes.Status200OK;
        c.Response.ContentType = Json.ContentType;
        await c.Response.StartAsync(c.RequestAborted);
        await c.Response.Body.FlushAsync(c.RequestAborted);
        WaitResult exit;
        try
        {
            exit = await result.WaitAsync(c.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return; // docker run -d drops its wait
        }
        var response = new ContainerWaitResponse
        {
            StatusCode = exit.StatusCode,
            Error = exit.Error is null ? null : new WaitExitError { Message = exit.Error },
        };
        await global::System.Text.Json.JsonSerializer.SerializeAsync(c.Response.Body, response, ApiJsonContext.Default.ContainerWaitResponse, c.RequestAborted);
        await c.Response.WriteAsync("\n", c.RequestAborted);
    }

    /// <summary>The body is Docker's UpdateConfig: HostConfig's resource fields and RestartPolicy.</summary>
    private static async Task Update(HttpContext c)
    {
        var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.HostConfig, () => new HostConfig());
        var (_, parsed) = ContainerCreateMapper.ToEngine(new ContainerCreateRequest { Image = "-", HostConfig = body });
        var policy = string.IsNullOrEmpty(body.RestartPolicy.Name) ? null : parsed.RestartPolicy;
        var warnings = await Service(c).UpdateAsync(Id(c), parsed.Resources, policy, c.RequestAborted);
        await Json.WriteAsync(c.Response, new ContainerUpdateResponse { Warnings = [.. warnings] }, ApiJsonContext.Default.ContainerUpdateResponse);
    }

    private static async Task Stats(HttpContext c)
    {
        var service = Service(c);
        var container = service.Get(Id(c));
        var stream = Query.Bool(c.Request, "stream", absent: true);
        var readings = service.StatsAsync(container.Id, stream, Query.Bool(c.Request, "one-shot"), c.RequestAborted);
        c.Response.ContentType = Json.ContentType;
        try
        {
            await foreach (var reading in readings)
            {
                await global::System.Text.Json.JsonSerializer.SerializeAsync(c.Response.Body, StatsMapper.ToWire(container, reading),
                    ApiJsonContext.Default.ContainerStatsResponse, c.RequestAborted);
                await c.Response.WriteAsync("\n", c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (c.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static async Task Prune(HttpContext c)
    {
        var (deleted, reclaimed) = await Service(c).PruneAsync(Query.Filters(c.Request), c.RequestAborted);
        await Json.WriteAsync(c.Response, new ContainerPruneResponse { ContainersDeleted = [.. deleted], SpaceReclaimed = (ulong)reclaimed },
            ApiJsonContext.Default.ContainerPruneResponse);
    }
}
