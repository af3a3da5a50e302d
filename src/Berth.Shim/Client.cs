using Berth.Linux;
using Berth.Shim.Protocol;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

public enum ClientState
{
    /// <summary>Reading the request line.</summary>
    Request,

    /// <summary>Attached to the container or an exec: frames out, stdin in.</summary>
    Streaming,

    /// <summary>A wait, answered when the container's init exits.</summary>
    Waiting,

    /// <summary>Writing what is queued, then closing.</summary>
    Closing,
}

/// <summary>
/// One connection to the shim's socket. Output to it is queued and written as it can take it. A client more than
/// <see cref="SoftBacklog"/> behind holds its process's output back (the process waits on a full pipe, as under Docker)
/// for at most <see cref="MaxStallMs"/>; a client that has not caught up by then is dropped, so that one that stopped
/// reading delays the log and the other clients by at most that long.
/// </summary>
public sealed class Client(SafeFileHandle fd)
{
    public const int SoftBacklog = 256 * 1024;
    public const int MaxStallMs = 2000;

    /// <summary>Never queued beyond this, whatever happens.</summary>
    private const int MaxBacklog = 4 * 1024 * 1024;

    private readonly ByteQueue _out = new();

    public SafeFileHandle Fd => fd;
    public ByteQueue RequestBytes { get; } = new();
    public ClientState State { get; set; } = ClientState.Request;
    public bool Closed { get; private set; }

    /// <summary>The process whose output this client receives (the init for attach, or its exec).</summary>
    public Supervised? AttachedTo { get; set; }

    /// <summary>The process's stdin this client writes, when it asked for stdin.</summary>
    public StdinSink? Stdin { get; set; }
    public bool WantsStdout { get; set; }
    public bool WantsStderr { get; set; }

    /// <summary>The client half-closed: no more input from it.</summary>
    public bool InputEnded { get; set; }

    /// <summary>What to do when its input ends or it goes away (close an exec's or a stdin-once container's stdin).</summary>
    public Action? OnInputEnd { get; set; }

    public bool HasOutput => _out.Length > 0;

    /// <summary>Since when (Environment.TickCount64) it has been more than <see cref="SoftBacklog"/> behind; 0 = it is not.</summary>
    public long BehindSince { get; private set; }

    public void Send(ReadOnlySpan<byte> data)
    {
        if (Closed) return;
        _out.Append(data);
        Flush();
    }

    public void SendFrame(ShimFrameType type, ReadOnlySpan<byte> payload)
    {
        if (Closed || payload.IsEmpty) return;
        Span<byte> header = stackalloc byte[ShimProtocol.FrameHeaderSize];
        ShimProtocol.WriteFrameHeader(header, type, payload.Length);
        _out.Append(header);
        _out.Append(payload);
        if (_out.Length > MaxBacklog)
        {
            Diagnostics.Write("dropping a client that fell too far behind");
            Close();
            return;
        }
        Flush();
    }

    /// <summary>Writes what it can now; a peer that is gone closes the client.</summary>
    public void Flush()
    {
        while (!Closed && _out.Length > 0)
        {
            var n = FileDescriptors.TryWrite(fd, _out.Pending, out var errno);
            if (n > 0)
            {
                _out.Consume(n);
                continue;
            }
            if (errno == Errno.EAGAIN) break;
            Close();
        }
        if (_out.Length <= SoftBacklog) BehindSince = 0;
        else if (BehindSince == 0) BehindSince = Environment.TickCount64;
        if (State == ClientState.Closing && _out.Length == 0) Close();
    }

    /// <summary>Ends the connection once what is queued has been written.</summary>
    public void End()
    {
        State = ClientState.Closing;
        Flush();
    }

    public void Close()
    {
        if (Closed) return;
        Closed = true;
        _out.Clear();
        var onInputEnd = OnInputEnd;
        OnInputEnd = null;
        onInputEnd?.Invoke();
        fd.Dispose();
    }
}
