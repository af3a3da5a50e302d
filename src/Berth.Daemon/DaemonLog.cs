using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>berthd's own log lines (the composition root's: listeners, signals, reloads, requests).</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "API listen on {Address}")]
    public static partial void Listening(this ILogger logger, string address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network. host=\"{Address}\"")]
    public static partial void InsecureTcp(this ILogger logger, string address);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Binding to an IP address, even on localhost, can also give access to scripts run in a browser. Be safe out there! host=\"{Address}\"")]
    public static partial void BrowserAccess(this ILogger logger, string address);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "could not change group {Socket} to {Group}: group {Group} not found")]
    public static partial void GroupMissing(this ILogger logger, string socket, string group);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Got signal to reload configuration, reloading from: {File}")]
    public static partial void Reloading(this ILogger logger, string file);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Reloaded configuration: {Key}: {Old} -> {New}")]
    public static partial void Reloaded(this ILogger logger, string key, string old, string @new);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Error reconfiguring the daemon: {Reason}")]
    public static partial void ReloadFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Processing signal '{Signal}': stop serving, containers keep running")]
    public static partial void Stopping(this ILogger logger, string signal);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "{Method} {Path} {Status} {Milliseconds:0.0}ms")]
    public static partial void Request(this ILogger logger, string method, string path, int status, double milliseconds);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Daemon has completed initialization (data root {DataRoot}, exec root {ExecRoot})")]
    public static partial void Started(this ILogger logger, string dataRoot, string execRoot);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "stopping container {Id} on shutdown failed: {Reason}")]
    public static partial void StopOnShutdownFailed(this ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "collecting what crashes left in the image store failed")]
    public static partial void GarbageCollectionFailed(this ILogger logger, Exception error);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Kubernetes CRI (runtime.v1) listening on {Socket}")]
    public static partial void CriListening(this ILogger logger, string socket);
}
