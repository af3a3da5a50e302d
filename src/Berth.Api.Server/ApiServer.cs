using Berth.Api.Models;
using Berth.Api.Server.Containers;
using Berth.Api.Server.Events;
using Berth.Api.Server.Exec;
using Berth.Api.Server.Images;
using Berth.Api.Server.System;
using Berth.Api.Server.Volumes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server;

/// <summary>The Engine API on an ASP.NET application: version and error middleware, the endpoint groups, and 404.</summary>
public static class ApiServer
{
    public static void MapEngineApi(this WebApplication app)
    {
        app.UseMiddleware<ErrorMapper>();
        app.UseMiddleware<ApiVersioning>();
        app.UseRouting();
        SystemEndpoints.Map(app);
        ContainerEndpoints.Map(app);
        ContainerFileEndpoints.Map(app);
        CommitEndpoints.Map(app);
        Images.BuildEndpoints.Map(app);
        Networks.NetworkEndpoints.Map(app);
        ExecEndpoints.Map(app);
        ImageEndpoints.Map(app);
        EventEndpoints.Map(app);
        VolumeEndpoints.Map(app);
        app.MapFallback(c =>
            Json.WriteAsync(c.Response, StatusCodes.Status404NotFound, new ErrorResponse("page not found"), ApiJsonContext.Default.ErrorResponse));
    }
}
