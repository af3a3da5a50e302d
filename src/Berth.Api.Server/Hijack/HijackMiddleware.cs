using System.Buffers;
using System.IO.Pipelines;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Server.Hijack;

/// <summary>
/// Serves Docker's hijacked endpoints below Kestrel's HTTP parser. Kestrel refuses an Upgrade request that carries a
/// body, and <c>POST /exec/{id}/start</c> is exactly that (JSON body + <c>Upgrade: tcp</c>). So the first request of
/// each connection is peeked: an upgrading attach or exec start is answered here (101, then raw stdio); anything else
/// goes to Kestrel untouched. The docker CLI and Docker.DotNet open a fresh connection for every hijack.
/// </summary>
public sealed partial class HijackMiddleware(ConnectionDelegate next, IServiceProvider services)
{
    private const int MaxHeadBytes = 64 * 1024;

    /// <summary>Kestrel's default RequestHeadersTimeout.</summary>
    private static readonly TimeSpan RequestHeadTimeout = TimeSpan.FromSeconds(30);

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        ReadResult read;
        SequencePosition? end;
        // Kestrel's own header timeout starts only once it reads: below it, a connection that never sends a whole
        // request head would hold a descriptor for ever.
        using var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        headTimeout.CancelAfter(RequestHeadTimeout);
        try
        {
            while (true)
            {
                read = await input.ReadAsync(headTimeout.Token);
                end = RequestHead.FindEnd(read.Buffer);
                if (end is not null || read.IsCompleted || read.Buffer.Length > MaxHeadBytes) break;
                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            connection.Abort(); // closed before a whole request head came (a probe), or idle too long: nothing to answer
            return;
        }
        var head = end is { } e ? RequestHead.Parse(read.Buffer.Slice(0, e)) : null;
        if (head is null || !IsHijack(head))
        {
            input.AdvanceTo(read.Buffer.Start); // nothing consumed: Kestrel reads the same bytes
            await next(connection);
            return;
        }
        input.AdvanceTo(end!.Value);
        var body = await ReadBodyAsync(input, head.ContentLength, connection.ConnectionClosed);
        await ActivatorUtilities.CreateInstance<HijackHandler>(services).HandleAsync(connection, head, body);
    }

    private static bool IsHijack(RequestHead head) =>
        head.Method == "POST" && head.WantsUpgrade && (AttachPath().IsMatch(head.Path) || ExecStartPath().IsMatch(head.Path));

    /// <summary>Exactly Content-Length bytes: the exec start JSON must never leak into the process's stdin.</summary>
    private static async Task<byte[]> ReadBodyAsync(PipeReader input, long length, CancellationToken cancellationToken)
    {
        if (length is <= 0 or > 1 << 20) return [];
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            if (read.Buffer.Length >= length)
            {
                var body = read.Buffer.Slice(0, length).ToArray();
                input.AdvanceTo(read.Buffer.GetPosition(length));
                return body;
            }
            if (read.IsCompleted) throw new ConnectionAbortedException("the request body ended early");
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    [GeneratedRegex("^/containers/[^/]+/attach$")]
    internal static partial Regex AttachPath();

    [GeneratedRegex("^/exec/[^/]+/start$")]
    internal static partial Regex ExecStartPath();
}

public static class HijackListenOptionsExtensions
{
    /// <summary>Puts <see cref="HijackMiddleware"/> in front of Kestrel's HTTP handling on this endpoint.</summary>
    public static ListenOptions UseDockerHijack(this ListenOptions listen)
    {
        listen.Use(next => new HijackMiddleware(next, listen.ApplicationServices).OnConnectedAsync);
        return listen;
    }
}
