using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Events;
using Berth.Engine.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Events;

/// <summary><c>GET /events?since=&amp;until=&amp;filters=</c>: headers flushed at once, then one JSON object per line.</summary>
public static class EventEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/events", Stream);

    private static async Task Stream(HttpContext c)
    {
        var filter = new EventFilter(Query.Filters(c.Request));
        var since = Query.Time(c.Request, "since");
        var until = Query.Time(c.Request, "until");
        var events = c.RequestServices.GetRequiredService<EventService>().StreamAsync(since, until, filter, c.RequestAborted);
        c.Response.StatusCode = StatusCodes.Status200OK;
        c.Response.ContentType = Json.ContentType;
        await c.Response.StartAsync(c.RequestAborted);
        await c.Response.Body.FlushAsync(c.RequestAborted);
        try
        {
            await foreach (var e in events)
            {
                await JsonSerializer.SerializeAsync(c.Response.Body, ToWire(e), ApiJsonContext.Default.EventMessage, c.RequestAborted);
                await c.Response.WriteAsync("\n", c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (c.RequestAborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>At API 1.44 the legacy <c>status</c>, <c>id</c> and <c>from</c> stay, for container and image events.</summary>
    private static EventMessage ToWire(EngineEvent e)
    {
        var legacy = e.Type is "container" or "image";
        return new EventMessage
        {
            Status = legacy ? e.Action : null,
            Id = legacy ? e.ActorId : null,
            From = e.From,
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor { ID = e.ActorId, Attributes = new Dictionary<string, string>(e.Attributes) },
            Scope = "local",
            Time = e.TimeNano / 1_000_000_000,
            TimeNano = e.TimeNano,
        };
    }
}
