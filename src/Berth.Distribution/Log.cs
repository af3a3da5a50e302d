using Microsoft.Extensions.Logging;

namespace Berth.Distribution;

/// <summary>Every log line of Berth.Distribution (event ids 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Error, "{Method} {Path} failed unexpectedly")]
    public static partial void UnhandledError(ILogger logger, string method, string? path, Exception exception);

    [LoggerMessage(4001, LogLevel.Debug, "{Method} {Path}: {Status} {Code} {Detail}")]
    public static partial void RequestFailed(ILogger logger, string method, string? path, int status, string code, string? detail);

    [LoggerMessage(4002, LogLevel.Debug, "{Method} {Path}: the client went away")]
    public static partial void ClientGone(ILogger logger, string method, string? path);

    [LoggerMessage(4003, LogLevel.Information, "manifest {Name}:{Reference} pushed as {Digest}")]
    public static partial void ManifestPushed(ILogger logger, string name, string reference, string digest);

    [LoggerMessage(4004, LogLevel.Information, "blob {Digest} mounted from {From} into {Name}")]
    public static partial void BlobMounted(ILogger logger, string digest, string from, string name);

    [LoggerMessage(4005, LogLevel.Information, "token issued to {Account}: {Scopes}")]
    public static partial void TokenIssued(ILogger logger, string account, string scopes);

    [LoggerMessage(4006, LogLevel.Warning, "authentication failed for {User}")]
    public static partial void AuthenticationFailed(ILogger logger, string user);

    [LoggerMessage(4007, LogLevel.Information, "gc: {Action} blob {Digest} ({Size} bytes)")]
    public static partial void GcBlob(ILogger logger, string action, string digest, long size);

    [LoggerMessage(4008, LogLevel.Information, "gc: {Action} upload {Name}/{Uuid} started at {StartedAt}")]
    public static partial void GcUpload(ILogger logger, string action, string name, string uuid, string startedAt);
}
