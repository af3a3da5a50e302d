using Berth.Engine;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Berth.Cri;

/// <summary>
/// The one place engine errors become gRPC statuses, with the engine's message as the status detail (crictl prints
/// it). Anything else is left to gRPC, which answers UNKNOWN without leaking the exception.
/// </summary>
internal sealed class EngineErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (EngineException e)
        {
            throw new RpcException(new Status(StatusOf(e.Kind), e.Message));
        }
    }

    internal static StatusCode StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.Conflict => StatusCode.FailedPrecondition,
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotModified => StatusCode.AlreadyExists,
        ErrorKind.Forbidden => StatusCode.PermissionDenied,
        ErrorKind.Unauthorized => StatusCode.Unauthenticated,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        ErrorKind.NotImplemented => StatusCode.Unimplemented,
        _ => StatusCode.Internal,
    };
}
