using Berth.Spdy;

namespace Berth.Cri.Streaming;

/// <summary>
/// The streams of one exec or attach, as Kubernetes' remotecommand protocols lay them out: the client opens one
/// SPDY stream per role, named by its <c>streamtype</c> header (error, stdin, stdout, stderr, and from v3 on resize
/// when there is a terminal), and the server starts once all it expects are there.
/// </summary>
internal sealed class RemoteCommandStreams
{
    public const string V4 = "v4.channel.k8s.io";
    public const string V3 = "v3.channel.k8s.io";
    public const string V2 = "v2.channel.k8s.io";
    public const string V1 = "channel.k8s.io";

    /// <summary>kubelet's list, newest first: v4 reports the exit code in a JSON status, v3 added resize, v2 the error stream's order.</summary>
    public static readonly IReadOnlyList<string> Protocols = [V4, V3, V2, V1];

    /// <summary>How long the client has to open its streams after the upgrade (kubelet's default).</summary>
    public static readonly TimeSpan CreationTimeout = TimeSpan.FromSeconds(30);

    private RemoteCommandStreams(string protocol) => Protocol = protocol;

    public string Protocol { get; }
    public SpdyStream? Error { get; private set; }
    public SpdyStream? Stdin { get; private set; }
    public SpdyStream? Stdout { get; private set; }
    public SpdyStream? Stderr { get; private set; }
    public SpdyStream? Resize { get; private set; }

    /// <summary>Accepts (replies to) the client's streams until those the request calls for are there; null if it gives up or times out.</summary>
    public static async Task<RemoteCommandStreams?> AcceptAsync(SpdyConnection connection, string protocol, bool stdin, bool stdout, bool stderr, bool tty)
    {
        var streams = new RemoteCommandStreams(protocol);
        var expected = 1 + (stdin ? 1 : 0) + (stdout ? 1 : 0) + (stderr ? 1 : 0) + (tty && protocol is V4 or V3 ? 1 : 0);
        using var timeout = new CancellationTokenSource(CreationTimeout);
        try
        {
            for (var received = 0; received < expected;)
            {
                if (await connection.AcceptStreamAsync(timeout.Token) is not { } stream) return null;
                await stream.ReplyAsync(timeout.Token);
                if (streams.Assign(stream)) received++;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return streams;
    }

    private bool Assign(SpdyStream stream)
    {
        switch (stream.Headers.GetValueOrDefault("streamtype"))
        {
            case "error" when Error is null: Error = stream; return true;
            case "stdin" when Stdin is null: Stdin = stream; return true;
            case "stdout" when Stdout is null: Stdout = stream; return true;
            case "stderr" when Stderr is null: Stderr = stream; return true;
            case "resize" when Resize is null: Resize = stream; return true;
            default: return false; // kubelet logs an unexpected stream and goes on waiting
        }
    }

    /// <summary>Ends the output streams, so the client's copies see their end before it reads the status.</summary>
    public async Task CloseOutputAsync()
    {
        foreach (var stream in new[] { Stdout, Stderr })
            if (stream is not null) await Quietly(stream.CloseWriteAsync());
    }

    /// <summary>Writes the outcome on the error stream, then ends it: what the client waits for last.</summary>
    public async Task WriteStatusAsync(CommandStatus status)
    {
        if (Error is null) return;
        var bytes = Protocol == V4 ? status.ToJson() : status.ToText();
        if (bytes.Length > 0) await Quietly(Error.WriteAsync(bytes));
        await Quietly(Error.CloseWriteAsync());
    }

    private static async Task Quietly(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (IOException)
        {
            // The client left: nobody reads the rest.
        }
    }
}
