using Berth.Api.Models;
using Berth.Api.Models.System;
using Berth.Api.Models.Volumes;
using Berth.Api.Server.Compat;
using Berth.Api.Server.Images;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Engine.System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.System;

/// <summary>
/// <code>
/// GET|HEAD /_ping    → "OK" (+ Builder-Version, Swarm, no-cache)
/// GET      /version  → SystemVersion
/// GET      /info     → SystemInfo
/// GET      /system/df → SystemDfResponse (images with their container counts, containers with their writable size, volumes with theirs)
/// POST     /build/prune → BuildCachePruneResponse, always empty (see <see cref="BuildCachePrune"/>)
/// POST     /auth     → AuthResponse {"Status":"Login Succeeded"}; 401 with Docker's text when the registry refuses
/// </code>
/// </summary>
public static class SystemEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/_ping", ["GET", "HEAD"], Ping);
        routes.MapGet("/version", c => Json.WriteAsync(c.Response, SystemMapper.ToVersion(System(c)), ApiJsonContext.Default.SystemVersion));
        routes.MapGet("/info", Info);
        routes.MapGet("/system/df", DiskUsage);
        routes.MapPost("/build/prune", BuildCachePrune);
        routes.MapPost("/auth", Login);
    }

    private static SystemService System(HttpContext context) => context.RequestServices.GetRequiredService<SystemService>();

    private static async Task Login(HttpContext c)
    {
        var config = await Json.ReadAsync(c.Request, ApiJsonContext.Default.AuthConfig, () => new AuthConfig());
        RegistryLogin login;
        try
        {
            login = RegistryAuth.ToLogin(config);
        }
        catch (FormatException)
        {
            throw new EngineException(ErrorKind.InvalidArgument, "invalid auth configuration: the auth field is not base64");
        }
        await c.RequestServices.GetRequiredService<ImageService>().LoginAsync(config.ServerAddress, login, c.RequestAborted);
        await Json.WriteAsync(c.Response, new AuthResponse { Status = "Login Succeeded" }, ApiJsonContext.Default.AuthResponse);
    }

    private static async Task Info(HttpContext c)
    {
        var containers = c.RequestServices.GetRequiredService<ContainerService>().All;
        var imageService = c.RequestServices.GetRequiredService<ImageService>();
        var images = await imageService.ListAsync(c.RequestAborted);
        var counts = new ObjectCounts(
            containers.Count(x => x.State.Status is ContainerStatus.Running or ContainerStatus.Restarting),
            containers.Count(x => x.State.Status == ContainerStatus.Paused),
            containers.Count(x => !x.State.IsRunning),
            images.Count);
        await Json.WriteAsync(c.Response, SystemMapper.ToInfo(System(c), imageService.Registries(), counts), ApiJsonContext.Default.SystemInfo);
    }

    /// <summary>
    /// Berth's builder keeps its cache as step images, which image prune deletes; there are no build cache records
    /// (<c>system df</c> lists none), so whatever the filters, nothing is deleted. Answered all the same, because
    /// <c>docker system prune</c> and <c>docker builder prune</c> ask and fail on a 404.
    /// </summary>
    private static Task BuildCachePrune(HttpContext c) =>
        Json.WriteAsync(c.Response, new BuildCachePruneResponse(), ApiJsonContext.Default.BuildCachePruneResponse);

    private static async Task DiskUsage(HttpContext c)
    {
        var containers = c.RequestServices.GetRequiredService<ContainerService>();
        var images = c.RequestServices.GetRequiredService<ImageService>();
        var all = containers.All;
        var now = DateTime.UtcNow;
        var response = new SystemDfResponse();
        foreach (var image in await images.ListAsync(c.RequestAborted))
        {
            var summary = ImageMapper.ToSummary(image);
            summary.Containers = all.Count(x => x.ImageId == summary.Id);
            summary.SharedSize = 0;
            response.Images.Add(summary);
        }
        response.LayersSize = await images.LayersSizeAsync(c.RequestAborted);
        foreach (var container in all)
        {
            var summary = ContainerMapper.ToSummary(container, now);
            summary.SizeRw = await images.WritableLayerSizeAsync(ContainerLayout.SnapshotKey(container.Id), c.RequestAborted);
            response.Containers.Add(summary);
        }
        foreach (var usage in c.RequestServices.GetRequiredService<Engine.Volumes.VolumeService>().Usage())
        {
            var volume = VolumeMapper.ToWire(usage.Volume);
            response.Volumes.Add(new Volume
            {
                Name = volume.Name, Driver = volume.Driver, Mountpoint = volume.Mountpoint, CreatedAt = volume.CreatedAt,
                Labels = volume.Labels, Scope = volume.Scope, Options = volume.Options,
                UsageData = new VolumeUsageData { Size = usage.Size, RefCount = usage.ContainerIds.Count },
            });
        }
        await Json.WriteAsync(c.Response, response, ApiJsonContext.Default.SystemDfResponse);
    }

    private static Task Ping(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers["Builder-Version"] = "1";
        headers["Swarm"] = "inactive";
        headers.CacheControl = "no-cache, no-store, must-revalidate";
        headers.Pragma = "no-cache";
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }
        return context.Response.WriteAsync("OK");
    }
}
