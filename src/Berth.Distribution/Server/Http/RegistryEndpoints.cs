using System.Text.RegularExpressions;
using Berth.Distribution.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Server.Http;

/// <summary>The registry's HTTP surface (OCI distribution spec v1.1), mapped onto any endpoint builder.</summary>
public static partial class RegistryEndpoints
{
    //  method            path under /v2/                      needs          handler
    //  GET HEAD          (root)                               (signed in)    Base
    //  GET               _catalog                             catalog        Listings.Catalog
    //  GET HEAD          <name>/manifests/<reference>         pull           Manifests.Get
    //  PUT               <name>/manifests/<reference>         push           Manifests.Put
    //  DELETE            <name>/manifests/<reference>         delete         Manifests.Delete
    //  POST              <name>/blobs/uploads/                push, pull     Uploads.Start (also ?digest= and ?mount=&from=)
    //  GET               <name>/blobs/uploads/<uuid>          push           Uploads.Status
    //  PATCH             <name>/blobs/uploads/<uuid>          push           Uploads.Append
    //  PUT               <name>/blobs/uploads/<uuid>          push           Uploads.Finish (?digest=)
    //  DELETE            <name>/blobs/uploads/<uuid>          push           Uploads.Cancel
    //  GET HEAD          <name>/blobs/<digest>                pull           Blobs.Get
    //  DELETE            <name>/blobs/<digest>                delete         Blobs.Delete
    //  GET               <name>/tags/list                     pull           Listings.Tags
    //  GET               <name>/referrers/<digest>            pull           Listings.Referrers
    private static readonly Route[] Routes =
    [
        new(ManifestPath(), "GET", [Access.Pull], (h, r) => h.Manifests.GetAsync(r)),
        new(ManifestPath(), "HEAD", [Access.Pull], (h, r) => h.Manifests.GetAsync(r)),
        new(ManifestPath(), "PUT", [Access.Push], (h, r) => h.Manifests.PutAsync(r)),
        new(ManifestPath(), "DELETE", [Access.Delete], (h, r) => h.Manifests.DeleteAsync(r)),
        new(UploadPath(), "POST", [Access.Push, Access.Pull], (h, r) => h.Uploads.StartAsync(r), StreamsBody: true),
        new(UploadPath(), "GET", [Access.Push], (h, r) => h.Uploads.StatusAsync(r)),
        new(UploadPath(), "PATCH", [Access.Push], (h, r) => h.Uploads.AppendAsync(r), StreamsBody: true),
        new(UploadPath(), "PUT", [Access.Push], (h, r) => h.Uploads.FinishAsync(r), StreamsBody: true),
        new(UploadPath(), "DELETE", [Access.Push], (h, r) => h.Uploads.CancelAsync(r)),
        new(BlobPath(), "GET", [Access.Pull], (h, r) => h.Blobs.GetAsync(r)),
        new(BlobPath(), "HEAD", [Access.Pull], (h, r) => h.Blobs.GetAsync(r)),
        new(BlobPath(), "DELETE", [Access.Delete], (h, r) => h.Blobs.DeleteAsync(r)),
        new(TagsPath(), "GET", [Access.Pull], (h, r) => h.Listings.TagsAsync(r)),
        new(ReferrersPath(), "GET", [Access.Pull], (h, r) => h.Listings.ReferrersAsync(r)),
    ];

    internal const string ApiVersionHeader = "Docker-Distribution-API-Version";

    /// <summary>
    /// Maps <c>/v2/…</c> (and the token endpoint, when this process issues tokens) onto <paramref name="endpoints"/>;
    /// berthd calls this on its own WebApplication to host the registry. Needs <see cref="RegistryServices.AddBerthRegistry"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapBerthRegistry(this IEndpointRouteBuilder endpoints)
    {
        var handlers = endpoints.ServiceProvider.GetRequiredService<RegistryHandlers>();
        var readOnly = endpoints.ServiceProvider.GetRequiredService<RegistryOptions>().Proxy is not null;
        var authorizer = endpoints.ServiceProvider.GetRequiredService<IRegistryAuthorizer>();
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Berth.Distribution.Registry");
        var v2 = endpoints.MapGroup("/v2");
        v2.MapMethods("/", ["GET", "HEAD"], http => RunAsync(http, logger, async () =>
        {
            if (await authorizer.CheckAsync(http, []) is { } denied) throw denied;
            http.Response.ContentType = "application/json";
            if (!HttpMethods.IsHead(http.Request.Method)) await http.Response.WriteAsync("{}", http.RequestAborted);
        }));
        v2.MapMethods("/_catalog", ["GET"], http => RunAsync(http, logger, async () =>
        {
            if (await authorizer.CheckAsync(http, [Access.Catalog]) is { } denied) throw denied;
            await handlers.Listings.CatalogAsync(new RegistryRequest(http, "", "", V2Root(http, "_catalog")));
        }));
        v2.MapMethods("/{**path}", ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"], http =>
            RunAsync(http, logger, () => DispatchAsync(http, handlers, authorizer, readOnly)));
        if (handlers.Token is { } token) endpoints.MapGet(token.Path, http => RunAsync(http, logger, () => token.HandleAsync(http)));
        return endpoints;
    }

    private static async Task DispatchAsync(HttpContext http, RegistryHandlers handlers, IRegistryAuthorizer authorizer, bool readOnly)
    {
        var path = http.Request.RouteValues["path"] as string ?? "";
        Route? shapeMatch = null;
        foreach (var route in Routes)
        {
            var match = route.Pattern.Match(path);
            if (!match.Success) continue;
            shapeMatch ??= route;
            if (!string.Equals(route.Method, http.Request.Method, StringComparison.OrdinalIgnoreCase)) continue;
            if (readOnly && route.Method is not ("GET" or "HEAD"))
                throw new RegistryException(ErrorCode.Unsupported, "this registry is a pull-through cache: it takes no pushes or deletes");
            var name = match.Groups["name"].Value;
            Grammar.RequireName(name);
            var needs = route.Needs.Select(action => Access.Repository(name, action)).ToList();
            if (await authorizer.CheckAsync(http, needs, MountSource(http, route)) is { } denied) throw denied;
            if (route.StreamsBody && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = null; // layers are unbounded; manifests are capped by their handler
            await route.Handler(handlers, new RegistryRequest(http, name, match.Groups["arg"].Value, V2Root(http, path)));
            return;
        }
        throw shapeMatch is null
            ? new RegistryException(ErrorCode.NameUnknown.WithStatus(404), $"no registry endpoint at /v2/{path}")
            : new RegistryException(ErrorCode.Unsupported, $"{http.Request.Method} is not supported here");
    }

    /// <summary>Pull on <c>from</c> for a cross-repository mount (<c>POST …/blobs/uploads/?mount=&amp;from=</c>); the upload handler checks it.</summary>
    private static IReadOnlyList<Access>? MountSource(HttpContext http, Route route) =>
        route.Method == "POST" && http.Request.Query["mount"].Count > 0 && http.Request.Query["from"].ToString() is { Length: > 0 } from && Grammar.IsName(from)
            ? [Access.Repository(from, Access.Pull)]
            : null;

    private static async Task RunAsync(HttpContext http, ILogger logger, Func<Task> action)
    {
        http.Response.Headers[ApiVersionHeader] = "registry/2.0";
        try
        {
            await action();
        }
        catch (Exception e)
        {
            await ErrorMapper.WriteAsync(http, e, logger);
        }
    }

    /// <summary>The URL path of <c>/v2/</c> as this request reached it (a host may mount the registry below a prefix).</summary>
    private static string V2Root(HttpContext http, string routedPath)
    {
        var full = http.Request.PathBase.Add(http.Request.Path).Value ?? "/v2/";
        return full.EndsWith(routedPath, StringComparison.Ordinal) ? full[..^routedPath.Length] : "/v2/";
    }

    private sealed record Route(Regex Pattern, string Method, string[] Needs, Func<RegistryHandlers, RegistryRequest, Task> Handler, bool StreamsBody = false);

    [GeneratedRegex("^(?<name>.+)/manifests/(?<arg>[^/]+)$")]
    private static partial Regex ManifestPath();

    [GeneratedRegex("^(?<name>.+)/blobs/uploads(?:/(?<arg>[^/]*))?$")]
    private static partial Regex UploadPath();

    [GeneratedRegex("^(?<name>.+)/blobs/(?<arg>[^/]+)$")]
    private static partial Regex BlobPath();

    [GeneratedRegex("^(?<name>.+)/tags/list$")]
    private static partial Regex TagsPath();

    [GeneratedRegex("^(?<name>.+)/referrers/(?<arg>[^/]+)$")]
    private static partial Regex ReferrersPath();
}
