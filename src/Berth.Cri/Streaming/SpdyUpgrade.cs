using Berth.Spdy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Cri.Streaming;

/// <summary>
/// The HTTP/1.1 Upgrade to <c>SPDY/3.1</c> that Kubernetes' streaming clients ask for, with its sub-protocol
/// negotiation: the client lists <c>X-Stream-Protocol-Version</c>s in its order of preference, the first the server
/// supports is answered in the same header; none is a 403 naming the server's in
/// <c>X-Accepted-Stream-Protocol-Versions</c> (apimachinery's <c>httpstream.Handshake</c>).
/// </summary>
internal static class SpdyUpgrade
{
    private const string ProtocolHeader = "X-Stream-Protocol-Version";
    private const string AcceptedHeader = "X-Accepted-Stream-Protocol-Versions";
    private const string Spdy31 = "SPDY/3.1";

    /// <summary>The session and its protocol, or null once an error response has been written.</summary>
    public static async Task<(SpdyConnection Connection, string Protocol)?> AcceptAsync(HttpContext context, IReadOnlyList<string> supported)
    {
        var offered = context.Request.Headers[ProtocolHeader].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (offered.Count == 0) return await FailAsync(context, StatusCodes.Status400BadRequest, $"unable to upgrade: {ProtocolHeader} is required");
        var protocol = offered.FirstOrDefault(supported.Contains);
        if (protocol is null)
        {
            foreach (var p in supported) context.Response.Headers.Append(AcceptedHeader, p);
            return await FailAsync(context, StatusCodes.Status403Forbidden,
                $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], server accepts [{string.Join(' ', supported)}]");
        }
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true } || !context.Request.Headers.Upgrade.ToString().Contains(Spdy31, StringComparison.OrdinalIgnoreCase))
            return await FailAsync(context, StatusCodes.Status400BadRequest, "unable to upgrade: missing upgrade headers in request");
        context.Response.Headers[ProtocolHeader] = protocol;
        context.Response.Headers.Upgrade = Spdy31;
        var transport = await upgrade.UpgradeAsync();
        return (new SpdyConnection(transport, isServer: true), protocol);
    }

    private static async Task<(SpdyConnection, string)?> FailAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(message + "\n");
        return null;
    }
}
