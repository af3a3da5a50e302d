using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Streams;
using Berth.Api.Server.Streams;
using Berth.Engine;
using Berth.Engine.Builds;
using Berth.Engine.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Images;

/// <summary>
/// <code>
/// POST /build?t=&amp;dockerfile=&amp;buildargs=&amp;labels=&amp;target=&amp;nocache=&amp;pull=&amp;rm=&amp;forcerm=&amp;q=&amp;networkmode=&amp;extrahosts=&amp;shmsize=&amp;memory=&amp;platform=&amp;cachefrom=&amp;remote=
///      (body: the context tar, or a Dockerfile, or nothing with remote=URL; X-Registry-Config) → JSON stream of {"stream":…}, then {"aux":{"ID":…}}
/// </code>
/// </summary>
public static class BuildEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/build", Build);

    private static async Task Build(HttpContext c)
    {
        c.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
        if (Query.String(c.Request, "version") == "2")
            throw new EngineException(ErrorKind.InvalidArgument, "BuildKit is not supported by this daemon: build with DOCKER_BUILDKIT=0 (the legacy builder)");
        var request = Request(c.Request);
        var stream = new JsonMessageStream(c.Response);
        try
        {
            await c.RequestServices.GetRequiredService<BuildService>().BuildAsync(request, c.Request.Body, new Output(stream), c.RequestAborted);
        }
        catch (Exception e) when (e is BuildFailedException or EngineException)
        {
            var code = e is BuildFailedException { Code: var exit } ? exit : 1;
            await stream.WriteAsync(new JsonMessage { Error = e.Message, ErrorDetail = new JsonError { Message = e.Message, Code = code } });
        }
    }

    private static BuildRequest Request(HttpRequest r) => new()
    {
        Tags = [.. r.Query["t"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!)],
        Dockerfile = Query.String(r, "dockerfile") is { Length: > 0 } dockerfile ? dockerfile : "Dockerfile",
        BuildArgs = JsonMap(r, "buildargs"),
        Labels = JsonMap(r, "labels").Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!),
        Target = Query.String(r, "target"),
        NoCache = Query.Bool(r, "nocache"),
        Pull = Query.Bool(r, "pull"),
        Remove = Query.Bool(r, "rm", absent: true),
        ForceRemove = Query.Bool(r, "forcerm"),
        Quiet = Query.Bool(r, "q"),
        NetworkMode = Query.String(r, "networkmode"),
        ExtraHosts = [.. r.Query["extrahosts"].SelectMany(h => (h ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))],
        ShmSize = long.TryParse(Query.String(r, "shmsize"), out var shm) ? shm : 0,
        Memory = long.TryParse(Query.String(r, "memory"), out var memory) ? memory : 0,
        Platform = Query.String(r, "platform"),
        CacheFrom = CacheFrom(r),
        Remote = Query.String(r, "remote"),
        Registries = RegistryConfig(r),
    };

    /// <summary><c>cachefrom</c>: a JSON array of image references.</summary>
    private static List<string> CacheFrom(HttpRequest r)
    {
        if (Query.String(r, "cachefrom") is not { Length: > 0 } text) return [];
        try
        {
            return [.. JsonSerializer.Deserialize(text, ApiJsonContext.Default.JsonElement).EnumerateArray().Select(e => e.GetString() ?? "")];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid cachefrom parameter: {e.Message}", e);
        }
    }

    /// <summary>A JSON object parameter (<c>buildargs</c>, <c>labels</c>); a null value is kept as null (a name without a value).</summary>
    private static Dictionary<string, string?> JsonMap(HttpRequest r, string name)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Query.String(r, name) is not { Length: > 0 } text) return map;
        try
        {
            foreach (var property in JsonSerializer.Deserialize(text, ApiJsonContext.Default.JsonElement).EnumerateObject())
                map[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid {name} parameter: {e.Message}", e);
        }
        return map;
    }

    /// <summary><c>X-Registry-Config</c>: base64 (either alphabet) of <c>{"registry": AuthConfig}</c>; undecodable means none, as moby reads it.</summary>
    private static Dictionary<string, RegistryLogin> RegistryConfig(HttpRequest r)
    {
        var logins = new Dictionary<string, RegistryLogin>(StringComparer.Ordinal);
        var header = r.Headers["X-Registry-Config"].ToString();
        if (header.Length == 0) return logins;
        try
        {
            foreach (var property in JsonSerializer.Deserialize(RegistryAuth.DecodeHeader(header), ApiJsonContext.Default.JsonElement).EnumerateObject())
                if (property.Value.Deserialize(ApiJsonContext.Default.AuthConfig) is { } config)
                    logins[property.Name] = RegistryAuth.ToLogin(config);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
        }
        return logins;
    }

    private sealed class Output(JsonMessageStream stream) : IBuildOutput
    {
        public async ValueTask WriteAsync(string text, CancellationToken cancellationToken) =>
            await stream.WriteAsync(new JsonMessage { Stream = text });

        public async ValueTask ImageIdAsync(string imageId, CancellationToken cancellationToken)
        {
            using var document = JsonDocument.Parse($"{{\"ID\":\"{imageId}\"}}"); // sha256:<hex>: nothing to escape
            await stream.WriteAsync(new JsonMessage { Aux = document.RootElement.Clone() });
        }
    }
}
