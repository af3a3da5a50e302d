using System.Net;
using Microsoft.Extensions.Logging;

namespace Berth.Network;

/// <summary>Every log line of Berth.Network's services (event ids 4200–4299).</summary>
internal static partial class Log
{
    [LoggerMessage(4200, LogLevel.Debug, "port {Mapping}: connection from {Client} ended: {Reason}")]
    public static partial void ProxyConnectionEnded(ILogger logger, string mapping, EndPoint? client, string reason);

    [LoggerMessage(4201, LogLevel.Warning, "port {Mapping}: accept failed: {Reason}")]
    public static partial void ProxyAcceptFailed(ILogger logger, string mapping, string reason);

    [LoggerMessage(4202, LogLevel.Warning, "port {Mapping}: {Max} UDP clients at once; a datagram from {Client} is dropped")]
    public static partial void ProxyTooManyFlows(ILogger logger, string mapping, int max, EndPoint client);

    [LoggerMessage(4203, LogLevel.Debug, "port {Mapping}: datagram from {Client} not forwarded: {Reason}")]
    public static partial void ProxyDatagramDropped(ILogger logger, string mapping, EndPoint client, string reason);

    [LoggerMessage(4220, LogLevel.Debug, "[resolver] lookup for {Name}: {Answer}")]
    public static partial void DnsLocalAnswer(ILogger logger, string name, string answer);

    [LoggerMessage(4221, LogLevel.Debug, "[resolver] {Name}: external DNS {Protocol}:{Upstream} failed: {Reason}")]
    public static partial void DnsUpstreamFailed(ILogger logger, string name, string protocol, IPEndPoint upstream, string reason);

    [LoggerMessage(4222, LogLevel.Error, "[resolver] more than {Max} concurrent queries")]
    public static partial void DnsTooManyForwards(ILogger logger, int max);

    [LoggerMessage(4224, LogLevel.Debug, "[resolver] {Protocol} query from {Client} dropped: {Reason}")]
    public static partial void DnsQueryDropped(ILogger logger, string protocol, EndPoint? client, string reason);
}
