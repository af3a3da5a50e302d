using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Cli;

/// <summary>
/// A container process that `run` or `exec` keeps in the foreground: its signals are forwarded, its terminal (when it
/// has one) is proxied to ours in raw mode with window-size changes, and its exit status becomes ours.
/// </summary>
public sealed class ForegroundProcess : IDisposable
{
    private readonly Socket? _listener;
    private readonly string? _socketPath;
    private SafeFileHandle? _master;

    private ForegroundProcess(bool terminal)
    {
        if (!terminal) return;
        _socketPath = Path.Combine(Path.GetTempPath(), $"berth-console-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _listener.Listen(1);
    }

    /// <summary>A console socket path to give create/exec when the process has a terminal, else null.</summary>
    public string? ConsoleSocket => _socketPath;

    public static ForegroundProcess Prepare(bool terminal) => new(terminal);

    /// <summary>Takes the pty master the stage sent (already queued on our socket).</summary>
    public void ReceiveConsole()
    {
        if (_listener is null) return;
        using var connection = _listener.Accept();
        _master = UnixRights.Receive(connection.SafeHandle).Fd;
    }

    /// <summary>Waits for <paramref name="pid"/> (our child), proxying the terminal and forwarding signals; returns its exit code.</summary>
    public int Wait(int pid)
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT, PosixSignal.SIGHUP })
            registrations.Add(PosixSignalRegistration.Create(signal, c => { c.Cancel = true; ProcessCalls.Kill(pid, SignalNumber(c.Signal)); }));
        byte[]? savedTerminal = null;
        Thread? output = null;
        try
        {
            if (_master is not null)
            {
                if (Pty.IsTerminal(0)) savedTerminal = Pty.MakeRaw(0);
                ResizeFromOurs();
                registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, c => { c.Cancel = true; ResizeFromOurs(); }));
                output = Copy(_master, new SafeFileHandle(1, false));
                Copy(new SafeFileHandle(0, false), _master);
            }
            ProcessCalls.WaitPid(pid, out var status);
            output?.Join(TimeSpan.FromSeconds(2));
            return ProcessCalls.ExitCodeOf(status);
        }
        finally
        {
            if (savedTerminal is not null) Pty.Restore(0, savedTerminal);
            foreach (var r in registrations) r.Dispose();
        }
    }

    private void ResizeFromOurs()
    {
        if (_master is not null && Pty.TryGetWindowSize(1, out var rows, out var columns) && rows > 0)
            Pty.SetWindowSize(_master, rows, columns);
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => Signals.SIGINT,
        PosixSignal.SIGQUIT => Signals.SIGQUIT,
        PosixSignal.SIGHUP => Signals.SIGHUP,
        _ => Signals.SIGTERM,
    };

    /// <summary>Copies one descriptor to another on a background thread until end of stream or an error (EIO when the pty closes).</summary>
    private static Thread Copy(SafeFileHandle from, SafeFileHandle to)
    {
        var thread = new Thread(() =>
        {
            var buffer = new byte[32 * 1024];
            try
            {
                int n;
                while ((n = FileDescriptors.Read(from, buffer)) > 0) FileDescriptors.WriteAll(to, buffer.AsSpan(0, n));
            }
            catch (LinuxException)
            {
                // the other side is gone
            }
        }) { IsBackground = true };
        thread.Start();
        return thread;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        if (_socketPath is not null) File.Delete(_socketPath);
        _master?.Dispose();
    }
}
