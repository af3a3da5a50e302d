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
        // one write with its line end: docker-py fails on a chunk that holds only the "\r\n" after the last message
        var json = JsonSerializer.SerializeToUtf8Bytes(message, ApiJsonContext.Default.JsonMessage);
        var line = new byte[json.Length + 2];
        json.CopyTo(line, 0);
        line[^2] = (byte)'\r';
        line[^1] = (byte)'\n';
        await response.Body.WriteAsync(line, response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }

    public Task WriteErrorAsync(string message) =>
        WriteAsync(new JsonMessage { Error = message, ErrorDetail = new JsonError { Message = message } });
}
