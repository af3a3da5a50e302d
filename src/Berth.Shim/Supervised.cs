using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// A process the shim is the parent of: the container's init or an exec. Lifecycle: running (its output read as it
/// comes) → exited (reaped; draining what is left of its output, for at most a deadline) → finished (its streams end).
/// </summary>
public sealed class Supervised(int pid, SafeFileHandle pidfd, bool isInit) : IDisposable
{
    public int Pid => pid;
    public SafeFileHandle Pidfd => pidfd;
    public bool IsInit => isInit;
    public List<Output> Outputs { get; } = [];
    public StdinSink? Stdin { get; set; }

    /// <summary>The pty master when the process has a terminal (its output is also one of <see cref="Outputs"/>).</summary>
    public SafeFileHandle? Master { get; set; }

    public int? ExitCode { get; private set; }
    public DateTime ExitedAt { get; private set; }
    public long DrainDeadline { get; private set; }

    public bool Exited => ExitCode is not null;

    public bool Drained
    {
        get
        {
            foreach (var output in Outputs)
                if (!output.Closed) return false;
            return true;
        }
    }

    /// <summary>Reaps the process if it has exited; true when it did (now or before).</summary>
    public bool TryReap(int drainMs)
    {
        if (Exited) return true;
        if (!ProcessCalls.TryReap(pid, out var status)) return false;
        ExitCode = ProcessCalls.ExitCodeOf(status);
        ExitedAt = DateTime.UtcNow;
        DrainDeadline = Environment.TickCount64 + drainMs;
        return true;
    }

    public void Dispose()
    {
        foreach (var output in Outputs) output.Close();
        Stdin?.Close();
        Master?.Dispose();
        pidfd.Dispose();
    }
}

/// <summary>A readable end of a process's output: a pipe (stdout or stderr) or a pty master (stdout).</summary>
public sealed class Output(SafeFileHandle fd, bool stderr, bool ownsFd, Supervised owner)
{
    public SafeFileHandle Fd => fd;
    public bool Stderr => stderr;
    public Supervised Owner => owner;
    public bool Closed { get; private set; }

    /// <summary>The unfinished last line, for the log (the container's output only).</summary>
    public ByteQueue LogPartial { get; } = new();

    public void Close()
    {
        if (Closed) return;
        Closed = true;
        if (ownsFd) fd.Dispose();
    }
}

/// <summary>
/// A process's stdin as the shim writes it: non-blocking, with what did not fit yet kept in order. Closing after the
/// pending bytes are written is how a client's EOF reaches the process. A pty master is not closed (it is also the
/// output): it just stops taking input.
/// </summary>
public sealed class StdinSink(SafeFileHandle fd, bool ownsFd)
{
    private readonly ByteQueue _pending = new();
    private bool _closeWhenFlushed;

    public SafeFileHandle Fd => fd;
    public bool Closed { get; private set; }
    public bool Accepting => !Closed && !_closeWhenFlushed;
    public bool HasPending => _pending.Length > 0;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (!Accepting) return;
        _pending.Append(data);
        Flush();
    }

    public void Flush()
    {
        while (!Closed && _pending.Length > 0)
        {
            var n = FileDescriptors.TryWrite(fd, _pending.Pending, out var errno);
            if (n > 0)
            {
                _pending.Consume(n);
                continue;
            }
            if (errno == Errno.EAGAIN) return;
            Close(); // EPIPE: the process closed its stdin
        }
        if (_closeWhenFlushed) Close();
    }

    public void CloseAfterFlush()
    {
        _closeWhenFlushed = true;
        Flush();
    }

    public void Close()
    {
        if (Closed) return;
        Closed = true;
        _pending.Clear();
        if (ownsFd) fd.Dispose();
    }
}
