using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server;

/// <summary>JSON answers with Content-Type exactly <c>application/json</c>: the Go client parses error bodies only then.</summary>
public static class Json
{
    public const string ContentType = "application/json";

    public static async Task WriteAsync<T>(HttpResponse response, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, response.HttpContext.RequestAborted);
    }

    public static Task WriteAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> typeInfo) =>
        WriteAsync(response, StatusCodes.Status200OK, value, typeInfo);
}
