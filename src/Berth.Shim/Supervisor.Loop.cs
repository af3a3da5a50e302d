using Berth.Linux;
using Berth.Shim.Protocol;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>The poll loop: one thread, every descriptor non-blocking, nothing waits on anything but poll(2).</summary>
public sealed partial class Supervisor
{
    private enum PollKind : byte
    {
        Listener,
        Process,
        Output,
        Stdin,
        Client,
    }

    /// <summary>How long after the last request the shim trims its resident code (see <see cref="ProcessMemory.ReleaseCleanFilePages"/>).</summary>
    private const int TrimAfterMs = 2000;

    private PollFd[] _pollFds = new PollFd[16];
    private (PollKind Kind, object? Target)[] _pollTargets = new (PollKind, object?)[16];
    private int _pollCount;
    private long _trimDue;

    private void Serve()
    {
        var flushDeadline = long.MaxValue;
        _trimDue = Environment.TickCount64 + TrimAfterMs;
        while (true)
        {
            var now = Environment.TickCount64;
            DropStalledClients(now);
            if (now >= _trimDue)
            {
                // Create, start and the other requests run code once that an idle shim has no use for: one shim per
                // container, so its resident size counts. The pages stay in the page cache, shared.
                ProcessMemory.ReleaseCleanFilePages();
                _trimDue = long.MaxValue;
            }
            for (var i = _execs.Count - 1; i >= 0; i--)
                if (_execs[i] is { Exited: true } exec && (exec.Drained || now >= exec.DrainDeadline)) EndExec(exec);
            if (_exit is null && _init!.Exited && (_init.Drained || now >= _init.DrainDeadline))
            {
                EndContainer();
                flushDeadline = now + FlushMs;
            }
            _clients.RemoveAll(c => c.Closed);
            if (_exit is not null && (_clients.Count == 0 && _execs.Count == 0 || now >= flushDeadline)) break;

            BuildPollSet();
            Poll.Wait(_pollFds.AsSpan(0, _pollCount), Timeout(flushDeadline, now));
            for (var i = 0; i < _pollCount; i++)
                if (_pollFds[i].Revents != PollEvents.None) Dispatch(_pollTargets[i].Kind, _pollTargets[i].Target, _pollFds[i].Revents);
        }
        Finish();
    }

    private void DropStalledClients(long now)
    {
        foreach (var client in _clients)
        {
            if (client.BehindSince == 0 || now - client.BehindSince < Client.MaxStallMs) continue;
            Diagnostics.Write($"dropping a client that stayed {Client.SoftBacklog / 1024} KiB behind for {Client.MaxStallMs} ms");
            client.Close();
        }
    }

    /// <summary>A client far behind holds back its process's output (not once the process has exited: what is left is a pipe's worth).</summary>
    private bool Throttled(Supervised process)
    {
        if (process.Exited) return false;
        foreach (var client in _clients)
            if (client.BehindSince != 0 && client.AttachedTo == process && !client.Closed) return true;
        return false;
    }

    private void BuildPollSet()
    {
        _pollCount = 0;
        if (_listener is not null) AddPoll(_listener, PollEvents.In, PollKind.Listener, null);
        AddProcess(_init!);
        foreach (var exec in _execs) AddProcess(exec);
        foreach (var client in _clients)
        {
            if (client.Closed) continue;
            var events = client.HasOutput ? PollEvents.Out : PollEvents.None;
            if (WantsInput(client)) events |= PollEvents.In;
            AddPoll(client.Fd, events, PollKind.Client, client); // hang-ups are reported even with no events asked for
        }
    }

    private static bool WantsInput(Client client) => client.State switch
    {
        ClientState.Request => true,
        ClientState.Streaming => !client.InputEnded && client.Stdin is not { HasPending: true },
        _ => false,
    };

    private void AddProcess(Supervised process)
    {
        if (!process.Exited) AddPoll(process.Pidfd, PollEvents.In, PollKind.Process, process);
        var throttled = Throttled(process);
        foreach (var output in process.Outputs)
            if (!output.Closed && !throttled) AddPoll(output.Fd, PollEvents.In, PollKind.Output, output);
        if (process.Stdin is { Closed: false, HasPending: true } stdin) AddPoll(stdin.Fd, PollEvents.Out, PollKind.Stdin, stdin);
    }

    private void AddPoll(SafeFileHandle fd, PollEvents events, PollKind kind, object? target)
    {
        if (_pollCount == _pollFds.Length)
        {
            Array.Resize(ref _pollFds, _pollCount * 2);
            Array.Resize(ref _pollTargets, _pollCount * 2);
        }
        _pollFds[_pollCount] = new PollFd { Fd = (int)fd.DangerousGetHandle(), Events = events };
        _pollTargets[_pollCount++] = (kind, target);
    }

    /// <summary>Until the nearest deadline (a drain or the final flush), or forever when none runs.</summary>
    private int Timeout(long flushDeadline, long now)
    {
        var deadline = Math.Min(flushDeadline, _trimDue);
        if (_exit is null && _init!.Exited) deadline = Math.Min(deadline, _init.DrainDeadline);
        foreach (var exec in _execs)
            if (exec.Exited) deadline = Math.Min(deadline, exec.DrainDeadline);
        foreach (var client in _clients)
            if (client.BehindSince != 0) deadline = Math.Min(deadline, client.BehindSince + Client.MaxStallMs);
        return deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - now, 0, int.MaxValue);
    }

    private void Dispatch(PollKind kind, object? target, PollEvents events)
    {
        switch (kind)
        {
            case PollKind.Listener:
                AcceptClients();
                break;
            case PollKind.Process:
                ((Supervised)target!).TryReap(DrainMs);
                break;
            case PollKind.Output:
                ReadOutput((Output)target!);
                break;
            case PollKind.Stdin:
                ((StdinSink)target!).Flush();
                break;
            case PollKind.Client:
                ServeClient((Client)target!, events);
                break;
        }
    }

    private void AcceptClients()
    {
        while (_listener is not null && UnixSockets.Accept(_listener) is { } fd) _clients.Add(new Client(fd));
    }

    private void ReadOutput(Output output)
    {
        if (output.Closed) return;
        var n = FileDescriptors.TryRead(output.Fd, _buffer, out var errno);
        if (n > 0) Deliver(output, _buffer.AsSpan(0, n));
        else if (n == 0 || errno != Errno.EAGAIN) CloseOutput(output); // end of stream; EIO: a pty whose last holder of the slave is gone
    }

    private void CloseOutput(Output output)
    {
        if (output.Closed) return;
        if (output.Owner.IsInit && _log is not null)
        {
            try
            {
                _log.Flush(output.Stderr, output.LogPartial);
            }
            catch (LinuxException e)
            {
                Diagnostics.Write($"log {_options.Log}: {e.Message}");
            }
        }
        output.Close();
    }

    /// <summary>To the log (the container's output only) and to every client attached to that process and stream.</summary>
    private void Deliver(Output output, ReadOnlySpan<byte> data)
    {
        if (output.Owner.IsInit && _log is not null)
        {
            try
            {
                _log.Write(output.Stderr, output.LogPartial, data);
            }
            catch (LinuxException e)
            {
                Diagnostics.Write($"log {_options.Log}: {e.Message}");
            }
        }
        var type = output.Stderr ? ShimFrameType.Stderr : ShimFrameType.Stdout;
        foreach (var client in _clients)
        {
            if (client.Closed || client.State != ClientState.Streaming || client.AttachedTo != output.Owner) continue;
            if (output.Stderr ? client.WantsStderr : client.WantsStdout) client.SendFrame(type, data);
        }
    }

    private void ServeClient(Client client, PollEvents events)
    {
        if ((events & PollEvents.Out) != 0) client.Flush();
        if (client.Closed) return;
        if (WantsInput(client) && (events & (PollEvents.In | PollEvents.HangUp | PollEvents.Error)) != 0)
        {
            if (client.State == ClientState.Request) ReadRequest(client);
            else ReadInput(client, events);
        }
        else if ((events & (PollEvents.HangUp | PollEvents.Error)) != 0)
            client.Close();
    }

    private void ReadRequest(Client client)
    {
        var n = FileDescriptors.TryRead(client.Fd, _buffer, out var errno);
        if (n <= 0)
        {
            if (n == 0 || errno != Errno.EAGAIN) client.Close();
            return;
        }
        client.RequestBytes.Append(_buffer.AsSpan(0, n));
        var pending = client.RequestBytes.Pending;
        var newline = pending.IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (pending.Length > ShimProtocol.MaxLineLength)
            {
                client.RequestBytes.Clear();
                Answer(client, ShimProtocol.Error("request line too long"));
            }
            return;
        }
        var line = pending[..newline].ToArray();
        var rest = pending[(newline + 1)..].ToArray();
        client.RequestBytes.Clear();
        HandleRequest(client, line);
        if (rest.Length > 0 && client.State == ClientState.Streaming && client.Stdin is { Accepting: true } stdin) stdin.Write(rest);
    }

    private void ReadInput(Client client, PollEvents events)
    {
        var n = FileDescriptors.TryRead(client.Fd, _buffer, out var errno);
        if (n > 0)
        {
            if (client.Stdin is { Accepting: true } stdin) stdin.Write(_buffer.AsSpan(0, n)); // else: input nobody asked for
        }
        else if (n == 0)
        {
            if ((events & PollEvents.HangUp) != 0)
            {
                client.Close(); // gone entirely: a detach
                return;
            }
            client.InputEnded = true; // half-closed: its stdin ends, its output goes on
            var onInputEnd = client.OnInputEnd;
            client.OnInputEnd = null;
            onInputEnd?.Invoke();
        }
        else if (errno != Errno.EAGAIN)
            client.Close();
    }

    private static void Answer(Client client, byte[] line)
    {
        client.Send(line);
        client.End();
    }
}
