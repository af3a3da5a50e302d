using System.Globalization;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Engine.Containers.Archive;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using static Berth.Api.Server.Containers.ContainerEndpoints;

namespace Berth.Api.Server.Containers;

/// <summary>
/// <code>
/// GET  /containers/{id}/changes                 → [{Path,Kind}] | null (none)
/// GET  /containers/{id}/export                  → tar of the root filesystem (chunked)
/// HEAD /containers/{id}/archive?path=           → 200 + X-Docker-Container-Path-Stat | 404
/// GET  /containers/{id}/archive?path=           → tar of the path + X-Docker-Container-Path-Stat
/// PUT  /containers/{id}/archive?path=&amp;noOverwriteDirNonDir=&amp;copyUIDGID= → 200 (the body: a tar to extract)
/// </code>
/// </summary>
public static class ContainerFileEndpoints
{
    private const string StatHeader = "X-Docker-Container-Path-Stat";
    private const string TarType = "application/x-tar";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/containers/{id}/changes", Changes);
        routes.MapGet("/containers/{id}/export", async c =>
        {
            await using var archive = await Service(c).ExportAsync(Id(c), c.RequestAborted);
            c.Response.ContentType = TarType;
            await archive.WriteAsync(c.Response.Body, c.RequestAborted);
        });
        routes.MapMethods("/containers/{id}/archive", [HttpMethods.Head], async c =>
        {
            var stat = await Service(c).StatPathAsync(Id(c), Query.String(c.Request, "path") ?? "", c.RequestAborted);
            c.Response.Headers[StatHeader] = Encode(stat);
            c.Response.ContentType = Json.ContentType;
        });
        routes.MapGet("/containers/{id}/archive", async c =>
        {
            await using var archive = await Service(c).ArchivePathAsync(Id(c), Query.String(c.Request, "path") ?? "", c.RequestAborted);
            c.Response.Headers[StatHeader] = Encode(archive.Stat!);
            c.Response.ContentType = TarType;
            await archive.WriteAsync(c.Response.Body, c.RequestAborted);
        });
        routes.MapPut("/containers/{id}/archive", async c =>
        {
            c.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
            await Service(c).ExtractToDirAsync(Id(c), Query.String(c.Request, "path") ?? "", c.Request.Body,
                Query.Bool(c.Request, "copyUIDGID"), Query.Bool(c.Request, "noOverwriteDirNonDir"), c.RequestAborted);
        });
    }

    /// <summary>moby answers <c>null</c> when nothing changed (a nil slice), a list otherwise.</summary>
    private static async Task Changes(HttpContext c)
    {
        var changes = await Service(c).ChangesAsync(Id(c), c.RequestAborted);
        var wire = changes.Count == 0 ? null : changes.Select(x => new FilesystemChange { Path = x.Path, Kind = (int)x.Kind }).ToList();
        await Json.WriteAsync(c.Response, wire, ApiJsonContext.Default.ListFilesystemChange!);
    }

    private static string Encode(PathStat stat)
    {
        var wire = new ContainerPathStat
        {
            Name = stat.Name,
            Size = stat.Size,
            Mode = stat.Mode,
            Mtime = GoTime(stat.Mtime, stat.MtimeNanoseconds),
            LinkTarget = stat.LinkTarget,
        };
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(wire, ApiJsonContext.Default.ContainerPathStat));
    }

    /// <summary>Go's RFC3339Nano in UTC: nanoseconds with trailing zeros dropped.</summary>
    private static string GoTime(DateTimeOffset time, long nanoseconds)
    {
        var seconds = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = nanoseconds == 0 ? "" : "." + nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return seconds + fraction + "Z";
    }
}
