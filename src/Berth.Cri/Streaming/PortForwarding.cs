using System.Net.Sockets;
using Berth.Cri.Runtime;
using Berth.Cri.V1;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Spdy;
using Microsoft.AspNetCore.Http;

namespace Berth.Cri.Streaming;

/// <summary>
/// The port-forward URL, protocol <c>portforward.k8s.io</c>: for each connection it forwards, the client opens two
/// streams with the same <c>requestID</c> and <c>port</c> headers, <c>streamType</c> error and data. Once both are
/// there the server connects to 127.0.0.1:port inside the pod's network namespace and copies both ways, each half
/// closing apart; a failure is written as text on the error stream. The session lasts until the client closes it.
/// </summary>
internal sealed class PortForwarding(ContainerService engine, PodSandboxes sandboxes)
{
    public const string Protocol = "portforward.k8s.io";

    public async Task ServeAsync(HttpContext context)
    {
        if (await StreamServer.TakeAsync<PortForwardRequest>(context) is not { } request) return;
        if (await SpdyUpgrade.AcceptAsync(context, [Protocol]) is not var (connection, _)) return;
        await using (connection)
        {
            using var clientGone = new CancellationTokenSource();
            _ = connection.Closed.ContinueWith(_ => clientGone.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var pending = new Dictionary<string, SpdyStream>();
            var forwards = new List<Task>();
            while (await connection.AcceptStreamAsync() is { } stream)
            {
                try
                {
                    await stream.ReplyAsync();
                }
                catch (IOException)
                {
                    break;
                }
                if (Pair(pending, stream) is not var (error, data)) continue;
                forwards.RemoveAll(f => f.IsCompleted);
                forwards.Add(ForwardAsync(request.PodSandboxId, error, data, clientGone.Token));
            }
            await Task.WhenAll(forwards);
        }
    }

    /// <summary>
    /// Matches a stream with its other half by request id. Clients older than request ids open the error stream,
    /// then the data stream, two ids apart: kubelet pairs those by the error stream's id, and so does this.
    /// </summary>
    private static (SpdyStream Error, SpdyStream Data)? Pair(Dictionary<string, SpdyStream> pending, SpdyStream stream)
    {
        var type = stream.Headers.GetValueOrDefault("streamtype");
        if (type is not ("error" or "data")) return null;
        var key = stream.Headers.GetValueOrDefault("requestid") ?? (type == "data" ? stream.Id - 2 : stream.Id).ToString();
        if (!pending.Remove(key, out var other))
        {
            pending[key] = stream;
            return null;
        }
        return type == "error" ? (stream, other) : (other, stream);
    }

    private async Task ForwardAsync(string sandboxId, SpdyStream error, SpdyStream data, CancellationToken clientGone)
    {
        var portHeader = data.Headers.GetValueOrDefault("port") ?? "";
        try
        {
            if (!ushort.TryParse(portHeader, out var port) || port == 0)
                throw new IOException($"invalid port header: \"{portHeader}\"");
            var id = sandboxes.Get(sandboxId).Id;
            using var socket = await ConnectAsync(id, port, clientGone);
            await CopyAsync(socket, data, clientGone);
        }
        catch (Exception e) when (e is IOException or Grpc.Core.RpcException or OperationCanceledException)
        {
            try
            {
                await error.WriteAsync(System.Text.Encoding.UTF8.GetBytes(e.Message), CancellationToken.None);
            }
            catch (IOException)
            {
                // The client left.
            }
        }
        finally
        {
            await Quietly(data.CloseWriteAsync());
            await Quietly(error.CloseWriteAsync());
            await data.DisposeAsync(); // what the client still sends is dropped, not queued before the session's other frames
            await error.DisposeAsync();
        }
    }

    private async Task<Socket> ConnectAsync(string sandboxId, ushort port, CancellationToken clientGone)
    {
        try
        {
            return await engine.ConnectLoopbackAsync(sandboxId, port, clientGone);
        }
        catch (Exception e) when (e is SocketException or EngineException)
        {
            throw new IOException($"error forwarding port {port} to pod {sandboxId}, uid : failed to connect to localhost:{port} inside namespace \"{sandboxId}\": {e.Message}", e);
        }
    }

    /// <summary>Client to pod and pod to client; the client's FIN shuts the pod connection's sending half, the pod's end ends the stream.</summary>
    private static async Task CopyAsync(Socket socket, SpdyStream data, CancellationToken clientGone)
    {
        await using var pod = new NetworkStream(socket, ownsSocket: false);
        var toPod = Task.Run(async () =>
        {
            await data.CopyToAsync(pod, clientGone);
            socket.Shutdown(SocketShutdown.Send);
        }, CancellationToken.None);
        try
        {
            await pod.CopyToAsync(data, clientGone);
        }
        finally
        {
            await Quietly(data.CloseWriteAsync(CancellationToken.None));
            socket.Close(); // ends the copy to the pod if the client still sends
            await Quietly(new ValueTask(toPod));
        }
    }

    private static async Task Quietly(ValueTask task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection or the client ended first.
        }
    }
}
