using Berth.Api.Models;
using Berth.Api.Models.Images;
using Berth.Api.Models.Streams;
using Berth.Api.Server.Compat;
using Berth.Api.Server.Streams;
using Berth.Engine;
using Berth.Engine.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Images;

/// <summary>
/// Image names hold '/', ':' and '@', so the per-image routes are one catch-all each, split on their last segment.
/// <code>
/// GET    /images/json                 → [ImageSummary]
/// POST   /images/create?fromSrc=-     → import: JSON stream, {"status":"sha256:…"}
/// POST   /images/create?fromImage=&amp;tag=&amp;platform= → pull: JSON progress stream (X-Registry-Auth)
/// POST   /images/{name}/push?tag=     → push: JSON progress stream, then aux {Tag,Digest,Size}
/// POST   /images/prune                → {ImagesDeleted,SpaceReclaimed}
/// POST   /images/load                 → JSON stream, {"stream":"Loaded image: x:y\n"}
/// GET    /images/get?names=…          → tar (Docker's archive format)
/// GET    /images/{name}/get           → tar
/// GET    /images/{name}/json          → ImageInspectResponse
/// GET    /images/{name}/history       → [ImageHistoryResponseItem]
/// POST   /images/{name}/tag?repo=&amp;tag= → 201
/// DELETE /images/{name}?force=&amp;noprune= → [ImageDeleteResponseItem]
/// </code>
/// </summary>
public static class ImageEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/images/json", List);
        routes.MapPost("/images/create", Create);
        routes.MapPost("/images/prune", Prune);
        routes.MapPost("/images/load", Load);
        routes.MapGet("/images/get", c => Save(c, [.. c.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!)]));
        routes.MapGet("/images/{**rest}", Get);
        routes.MapPost("/images/{**rest}", Post);
        routes.MapDelete("/images/{**name}", Delete);
    }

    private static ImageService Images(HttpContext c) => c.RequestServices.GetRequiredService<ImageService>();

    private static ImageRemovalService Removals(HttpContext c) => c.RequestServices.GetRequiredService<ImageRemovalService>();

    private static string Rest(HttpContext c, string key) => Uri.UnescapeDataString((string)c.Request.RouteValues[key]!);

    private static async Task List(HttpContext c)
    {
        var images = await Images(c).ListAsync(Query.Filters(c.Request), Query.Bool(c.Request, "all"), c.RequestAborted);
        await Json.WriteAsync(c.Response, images.Select(ImageMapper.ToSummary).ToList(), ApiJsonContext.Default.ListImageSummary);
    }

    private static async Task Get(HttpContext c)
    {
        var rest = Rest(c, "rest");
        if (Strip(rest, "/json") is { } inspectName)
        {
            var details = await Images(c).InspectAsync(inspectName, c.RequestAborted);
            await Json.WriteAsync(c.Response, ImageMapper.ToInspect(details), ApiJsonContext.Default.ImageInspectResponse);
        }
        else if (Strip(rest, "/get") is { } saveName)
        {
            await Save(c, [saveName]);
        }
        else if (Strip(rest, "/history") is { } historyName)
        {
            var history = await Images(c).HistoryAsync(historyName, c.RequestAborted);
            await Json.WriteAsync(c.Response, history.Select(ImageMapper.ToHistory).ToList(), ApiJsonContext.Default.ListImageHistoryResponseItem);
        }
        else
        {
            await NotFound(c);
        }
    }

    private static async Task Post(HttpContext c)
    {
        var rest = Rest(c, "rest");
        if (Strip(rest, "/push") is { } pushName)
        {
            await Push(c, pushName);
            return;
        }
        if (Strip(rest, "/tag") is not { } source)
        {
            await NotFound(c);
            return;
        }
        var repo = Query.String(c.Request, "repo") ?? throw new EngineException(ErrorKind.InvalidArgument, "repository name must have at least one component");
        var tag = Query.String(c.Request, "tag");
        await Images(c).TagAsync(source, tag is null ? repo : $"{repo}:{tag}", c.RequestAborted);
        c.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static async Task Delete(HttpContext c)
    {
        var items = await Removals(c).DeleteAsync(Rest(c, "name"), Query.Bool(c.Request, "force"), !Query.Bool(c.Request, "noprune"), c.RequestAborted);
        await Json.WriteAsync(c.Response, items.Select(ImageMapper.ToWire).ToList(), ApiJsonContext.Default.ListImageDeleteResponseItem);
    }

    private static async Task Prune(HttpContext c)
    {
        var result = await Removals(c).PruneAsync(Query.Filters(c.Request), c.RequestAborted);
        await Json.WriteAsync(c.Response, new ImagePruneResponse
        {
            ImagesDeleted = [.. result.Items.Select(ImageMapper.ToWire)],
            SpaceReclaimed = (ulong)result.SpaceReclaimed,
        }, ApiJsonContext.Default.ImagePruneResponse);
    }

    /// <summary><c>POST /images/create</c>: <c>fromSrc=-</c> imports the body; pulls come with the registry issue.</summary>
    private static async Task Create(HttpContext c)
    {
        var fromSrc = Query.String(c.Request, "fromSrc");
        if (fromSrc is null)
        {
            await Pull(c);
            return;
        }
        if (fromSrc != "-") throw new EngineException(ErrorKind.InvalidArgument, "importing from a URL is not supported: send the archive as the request body (fromSrc=-)");
        c.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
        var repo = Query.String(c.Request, "repo");
        var tag = Query.String(c.Request, "tag");
        var spec = new ImportSpec(
            Reference: repo is null ? null : tag is null ? repo : $"{repo}:{tag}",
            Message: Query.String(c.Request, "message") ?? "Imported from -",
            Changes: [.. c.Request.Query["changes"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)]);
        var stream = new JsonMessageStream(c.Response);
        var id = await Images(c).ImportAsync(c.Request.Body, spec, c.RequestAborted);
        await stream.WriteAsync(new JsonMessage { Status = id });
    }

    /// <summary>
    /// Pull: <c>tag</c> holding a digest means <c>name@digest</c>; with no tag, <c>fromImage</c> as sent, and when that
    /// is a bare name, every tag of the repository (Docker's <c>--all-tags</c>: its CLI always sends a tag otherwise).
    /// </summary>
    private static async Task Pull(HttpContext c)
    {
        var image = Query.String(c.Request, "fromImage") ?? throw new EngineException(ErrorKind.InvalidArgument, "fromImage or fromSrc is required");
        var tag = Query.String(c.Request, "tag");
        var reference = tag is null ? image : tag.StartsWith("sha256:", StringComparison.Ordinal) ? $"{image}@{tag}" : $"{image}:{tag}";
        var spec = new PullSpec(
            Platform: Query.String(c.Request, "platform") ?? "linux/amd64",
            Login: RegistryAuth.FromHeader(c.Request),
            AllTags: tag is null && ImageService.IsRepositoryName(image));
        var stream = new JsonMessageStream(c.Response);
        await ProgressPump.RunAsync<IReadOnlyList<string>, PullProgressEvent>(stream, progress => Images(c).PullAsync(reference, spec, progress, c.RequestAborted), ToMessage);
    }

    /// <summary>
    /// <c>POST /images/{name}/push?tag=</c>: ends with Docker's <c>aux</c> {Tag, Digest, Size} for each tag pushed; with
    /// no tag and a bare name, every local tag of the repository.
    /// </summary>
    private static async Task Push(HttpContext c, string name)
    {
        var tag = Query.String(c.Request, "tag");
        var reference = tag is null ? name : $"{name}:{tag}";
        var spec = new PushSpec(Login: RegistryAuth.FromHeader(c.Request), AllTags: tag is null && ImageService.IsRepositoryName(name));
        var stream = new JsonMessageStream(c.Response);
        var results = await ProgressPump.RunAsync<IReadOnlyList<PushedImage>, PushProgressEvent>(stream,
            progress => Images(c).PushAsync(reference, spec, progress, c.RequestAborted), ToMessage);
        foreach (var result in results ?? [])
        {
            using var buffer = new MemoryStream();
            using (var writer = new global::System.Text.Json.Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("Tag", result.Tag);
                writer.WriteString("Digest", result.Digest);
                writer.WriteNumber("Size", result.Size);
                writer.WriteEndObject();
            }
            using var document = global::System.Text.Json.JsonDocument.Parse(buffer.ToArray());
            await stream.WriteAsync(new JsonMessage { ProgressDetail = new JsonProgress(), Aux = document.RootElement.Clone() });
        }
    }

    /// <summary>
    /// moby writes <c>Pulling from …</c> as a status message (no <c>progressDetail</c>, so a terminal prints it as a line
    /// of its own); every other line with an id is a progress update.
    /// </summary>
    private static JsonMessage ToMessage(PullProgressEvent p) => p.Current is null && p.Status.StartsWith("Pulling from ", StringComparison.Ordinal)
        ? new JsonMessage { Id = p.Id, Status = p.Status }
        : Message(p.Id, p.Status, p.Current, p.Total);

    private static JsonMessage ToMessage(PushProgressEvent p) => Message(p.Id, p.Status, p.Current, p.Total);

    private static JsonMessage Message(string? id, string status, long? current, long? total) => new()
    {
        Id = id,
        Status = status,
        ProgressDetail = id is null ? null : new JsonProgress { Current = current ?? 0, Total = total ?? 0 },
        Progress = current is { } done ? ProgressPump.Bar(done, total ?? 0) : null,
    };

    /// <summary>
    /// <c>docker load</c>: the archive in the body; one <c>Loaded image</c> line per tag (or per untagged image). As in
    /// moby, the answer is always a 200 stream: a refused archive ends it with an error message, which clients raise.
    /// </summary>
    private static async Task Load(HttpContext c)
    {
        c.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
        var stream = new JsonMessageStream(c.Response);
        IReadOnlyList<LoadedImageView> loaded;
        try
        {
            loaded = await Images(c).LoadAsync(c.Request.Body, c.RequestAborted);
        }
        catch (EngineException e)
        {
            await stream.WriteErrorAsync(e.Message);
            return;
        }
        foreach (var image in loaded)
        {
            if (image.Tags.Count == 0) await stream.WriteAsync(new JsonMessage { Stream = $"Loaded image ID: {image.Id}\n" });
            foreach (var tag in image.Tags) await stream.WriteAsync(new JsonMessage { Stream = $"Loaded image: {tag}\n" });
        }
        if (!stream.Started) await Json.WriteAsync(c.Response, new JsonMessage(), ApiJsonContext.Default.JsonMessage);
    }

    private static async Task Save(HttpContext c, IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new EngineException(ErrorKind.InvalidArgument, "no images named");
        var write = await Images(c).PrepareSaveAsync(names, c.RequestAborted);
        c.Response.ContentType = "application/x-tar";
        await write(c.Response.Body);
    }

    private static string? Strip(string rest, string suffix) =>
        rest.EndsWith(suffix, StringComparison.Ordinal) && rest.Length > suffix.Length ? rest[..^suffix.Length] : null;

    private static Task NotFound(HttpContext c) =>
        Json.WriteAsync(c.Response, StatusCodes.Status404NotFound, new ErrorResponse("page not found"), ApiJsonContext.Default.ErrorResponse);
}
