using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;
using Berth.Shim.Protocol;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>The socket's operations, each answered at once (wait: when the init exits); attach and exec then stream.</summary>
public sealed partial class Supervisor
{
    private void HandleRequest(Client client, byte[] line)
    {
        _trimDue = Environment.TickCount64 + TrimAfterMs;
        try
        {
            var request = ShimProtocol.DecodeRequest(line);
            switch (request.Op)
            {
                case ShimOps.Start:
                    _runtime.Start(_options.Id);
                    Answer(client, ShimProtocol.Ok());
                    break;
                case ShimOps.Attach:
                    Attach(client, request);
                    break;
                case ShimOps.Exec:
                    Exec(client, request);
                    break;
                case ShimOps.Kill:
                    _runtime.Kill(_options.Id, request.Signal == 0 ? Signals.SIGTERM : request.Signal, request.All);
                    Answer(client, ShimProtocol.Ok());
                    break;
                case ShimOps.Pause:
                    _runtime.Pause(_options.Id);
                    Answer(client, ShimProtocol.Ok());
                    break;
                case ShimOps.Resume:
                    _runtime.Resume(_options.Id);
                    Answer(client, ShimProtocol.Ok());
                    break;
                case ShimOps.Resize:
                    Resize(request);
                    Answer(client, ShimProtocol.Ok());
                    break;
                case ShimOps.State:
                    Answer(client, _init!.Exited
                        ? ShimProtocol.State(_init.Pid, ContainerStatus.Stopped)
                        : ShimProtocol.State(_init.Pid, _runtime.Status(_options.Id)));
                    break;
                case ShimOps.Update:
                    _runtime.Update(_options.Id, SpecReader.ReadResources(request.Resources));
                    Answer(client, ShimProtocol.Ok());
                    break;
                case ShimOps.Pids:
                    Answer(client, ShimProtocol.Pids(_runtime.Pids(_options.Id)));
                    break;
                case ShimOps.ReopenLog:
                    _log?.Reopen();
                    Answer(client, ShimProtocol.Ok());
                    break;
                case ShimOps.Wait:
                    if (_exit is not null) Answer(client, ShimProtocol.Exit(_exit));
                    else client.State = ClientState.Waiting;
                    break;
                default:
                    Answer(client, ShimProtocol.Error($"unknown op \"{request.Op}\""));
                    break;
            }
        }
        catch (Exception e)
        {
            Answer(client, ShimProtocol.Error(e.Message));
        }
    }

    private void Attach(Client client, ShimRequest request)
    {
        client.Send(ShimProtocol.Ok());
        if (_exit is not null)
        {
            client.End(); // nothing more will come
            return;
        }
        client.State = ClientState.Streaming;
        client.AttachedTo = _init;
        client.WantsStdout = request.Stdout;
        client.WantsStderr = request.Stderr;
        if (request.Stdin && _init!.Stdin is { Accepting: true } stdin)
        {
            client.Stdin = stdin;
            if (_options.StdinOnce) client.OnInputEnd = stdin.CloseAfterFlush;
        }
    }

    /// <summary>Starts the process with pipes (or a pty) held here; its stream ends with an exit frame.</summary>
    private void Exec(Client client, ShimRequest request)
    {
        if (request.Process.IsEmpty) throw new ArgumentException("exec: process is required");
        var process = SpecReader.ReadProcess(request.Process);
        using var devNull = FileDescriptors.Open("/dev/null", OpenFlags.ReadWrite);
        using var console = process.Terminal ? ConsoleReceiver.Create() : null;
        var stdout = FileDescriptors.Pipe();
        var stderr = FileDescriptors.Pipe();
        var stdin = request.Stdin && !process.Terminal ? FileDescriptors.Pipe() : null;
        Supervised? exec = null;
        var pid = 0;
        try
        {
            pid = _runtime.Exec(new ExecRequest(_options.Id, process, console?.Path,
                Stdio: new StdioHandles(stdin?.Read ?? (SafeHandle)devNull, stdout.Write, stderr.Write)));
            stdout.Write.Dispose();
            stderr.Write.Dispose();
            stdin?.Read.Dispose();
            exec = new Supervised(pid, ProcessCalls.TryPidfdOpen(pid) ?? throw LinuxException.FromLastError("pidfd_open", pid.ToString()), isInit: false);
            AddOutputs(exec, stdout.Read, stderr.Read);
            if (console is not null) AddTerminal(exec, console.Receive(), request.Stdin);
            else if (stdin is not null)
            {
                FileDescriptors.SetNonBlocking(stdin.Write);
                exec.Stdin = new StdinSink(stdin.Write, ownsFd: true);
            }
        }
        catch
        {
            if (pid > 0 && exec is null)
            {
                ProcessCalls.Kill(pid, Signals.SIGKILL);
                ProcessCalls.WaitPid(pid, out _);
            }
            exec?.Dispose();
            stdout.Dispose();
            stderr.Dispose();
            stdin?.Dispose();
            throw;
        }
        _execs.Add(exec);
        client.Send(ShimProtocol.OkWithPid(pid));
        client.State = ClientState.Streaming;
        client.AttachedTo = exec;
        client.WantsStdout = client.WantsStderr = true;
        if (request.Stdin && exec.Stdin is { } execStdin)
        {
            client.Stdin = execStdin;
            client.OnInputEnd = execStdin.CloseAfterFlush;
        }
    }

    private void Resize(ShimRequest request)
    {
        if (request.Height is <= 0 or > ushort.MaxValue || request.Width is <= 0 or > ushort.MaxValue)
            throw new ArgumentException($"bad terminal size {request.Height}x{request.Width}");
        Supervised? target = request.Pid is { } pid ? _execs.Find(e => e.Pid == pid) : _init;
        if (target is null) throw new ArgumentException($"no exec with pid {request.Pid}");
        if (target.Master is null) throw new ArgumentException(request.Pid is null ? "the container has no terminal" : $"exec {request.Pid} has no terminal");
        Pty.SetWindowSize(target.Master, (ushort)request.Height, (ushort)request.Width);
    }

    /// <summary>The init has exited and its output is drained: record it, end the streams and answer the waits.</summary>
    private void EndContainer()
    {
        var init = _init!;
        foreach (var output in init.Outputs) CloseOutput(output);
        init.Stdin?.Close();
        _exit = new ExitRecord(init.ExitCode!.Value, init.ExitedAt, OomKilled());
        WriteExitFile(_exit);
        var answer = ShimProtocol.Exit(_exit);
        foreach (var client in _clients)
        {
            if (client.AttachedTo == init) client.End();
            else if (client.State == ClientState.Waiting) Answer(client, answer);
        }
    }

    /// <summary>The OOM killer's count in the container's cgroup, read before the runtime removes the cgroup.</summary>
    private bool OomKilled()
    {
        try
        {
            return _runtime.OomKilled(_options.Id);
        }
        catch (Exception e)
        {
            Diagnostics.Write($"oom count of {_options.Id}: {e.Message}");
            return false;
        }
    }

    /// <summary>An exec has exited and its output is drained: its client gets the exit frame and the end of the stream.</summary>
    private void EndExec(Supervised exec)
    {
        var frame = ShimProtocol.ExitFrame(exec.ExitCode!.Value);
        foreach (var client in _clients)
        {
            if (client.AttachedTo != exec || client.Closed) continue;
            client.OnInputEnd = null;
            client.Send(frame);
            client.End();
        }
        exec.Dispose();
        _execs.Remove(exec);
    }
}
