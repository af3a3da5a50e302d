using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Streams;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server.Streams;

/// <summary>
/// Docker's JSON message stream (pull, push, load, import): chunked NDJSON, flushed per message. An error before the
/// first byte is a real status (the error mapper's); after it, a message with <c>errorDetail</c> and <c>error</c>.
/// </summary>
public sealed class JsonMessageStream(HttpResponse response)
{
    public bool Started => response.HasStarted;

    public async Task WriteAsync(JsonMessage message)
    {
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = Json.ContentType;
        }
        await JsonSerializer.SerializeAsync(response.Body, message, ApiJsonContext.Default.JsonMessage, response.HttpContext.RequestAborted);
        await response.WriteAsync("\r\n", response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }

    public Task WriteErrorAsync(string message) =>
        WriteAsync(new JsonMessage { Error = message, ErrorDetail = new JsonError { Message = message } });
}
