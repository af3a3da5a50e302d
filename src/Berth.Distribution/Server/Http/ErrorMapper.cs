using System.Text.Json;
using Berth.Distribution.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Server.Http;

/// <summary>
/// The one place an exception becomes a response: RegistryException → its status and the spec's error body;
/// Kestrel's bad-request errors (truncated or oversized bodies) → 400/413; anything else → 500, logged once here.
/// </summary>
internal static class ErrorMapper
{
    public static async Task WriteAsync(HttpContext http, Exception exception, ILogger logger)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            Log.ClientGone(logger, http.Request.Method, http.Request.Path);
            return;
        }
        var error = Translate(exception);
        if (error is null)
        {
            Log.UnhandledError(logger, http.Request.Method, http.Request.Path, exception);
            error = new RegistryException(new ErrorCode("UNKNOWN", 500, "unknown error"));
        }
        else
        {
            Log.RequestFailed(logger, http.Request.Method, http.Request.Path, error.Code.Status, error.Code.Code, error.Detail);
        }
        if (http.Response.HasStarted)
        {
            http.Abort(); // a body is half sent: the only honest signal left is a broken connection
            return;
        }
        var response = http.Response;
        var apiVersion = response.Headers[RegistryEndpoints.ApiVersionHeader];
        response.Clear(); // drop what the handler had set for success (length, digest, location)
        response.Headers[RegistryEndpoints.ApiVersionHeader] = apiVersion;
        response.StatusCode = error.Code.Status;
        foreach (var (name, value) in error.Headers) response.Headers[name] = value;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        var body = new ErrorResponse([new ErrorEntry(error.Code.Code, error.Code.Message, error.Detail)]);
        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, body, DistributionJsonContext.Relaxed.ErrorResponse);
    }

    private static RegistryException? Translate(Exception exception) => exception switch
    {
        RegistryException registry => registry,
        BadHttpRequestException { StatusCode: 413 } tooBig => new RegistryException(ErrorCode.SizeInvalid.WithStatus(413), tooBig.Message),
        BadHttpRequestException bad => new RegistryException(ErrorCode.BlobUploadInvalid.WithStatus(bad.StatusCode), bad.Message),
        ConnectionResetException => new RegistryException(ErrorCode.BlobUploadInvalid, "the client closed the connection"),
        InvalidPathException path => new RegistryException(ErrorCode.NameInvalid, path.Message),
        _ => null,
    };
}
