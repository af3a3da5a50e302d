using Berth.Api.Models;
using Berth.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Api.Server;

/// <summary>The one place an engine error becomes an HTTP answer: Docker's status for its kind, and <c>{"message"}</c>.</summary>
public sealed partial class ErrorMapper(RequestDelegate next, ILogger<ErrorMapper> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotModified && !context.Response.HasStarted)
        {
            // A 304 carries no body (Kestrel throws on a write); Docker's clients read the bare status as success.
            context.Response.StatusCode = StatusCodes.Status304NotModified;
        }
        catch (EngineException e) when (!context.Response.HasStarted)
        {
            await Json.WriteAsync(context.Response, StatusOf(e.Kind), new ErrorResponse(e.Message), ApiJsonContext.Default.ErrorResponse);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            LogUnexpected(logger, context.Request.Method, context.Request.Path, e);
            await Json.WriteAsync(context.Response, StatusCodes.Status500InternalServerError, new ErrorResponse(e.Message), ApiJsonContext.Default.ErrorResponse);
        }
    }

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorKind.NotModified => StatusCodes.Status304NotModified,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception error);
}
