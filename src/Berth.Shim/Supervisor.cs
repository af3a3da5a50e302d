using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Runtime;
using Berth.Runtime.Containers;
using Berth.Shim.Protocol;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// One container's supervisor: creates it through the runtime library (its init is our child) or another OCI runtime's
/// binary (its init is reparented to us, a child subreaper), then serves the socket
/// and the container's stdio from one thread in a poll loop until the init has exited, its output is drained and
/// logged, the exit file is written and every stream has ended; then deletes the container and exits.
/// </summary>
public sealed partial class Supervisor : IDisposable
{
    private const int ReadSize = 16 * 1024;

    /// <summary>How long output may still arrive after a process exited (a pty's last bytes; a pipe held by an orphan).</summary>
    private const int DrainMs = 1000;

    /// <summary>How long the ended streams get to take their last bytes before the shim exits regardless.</summary>
    private const int FlushMs = 2000;

    /// <summary>Where a runtime binary writes its JSON log, in the bundle (containerd's <c>log.json</c>).</summary>
    public const string RuntimeLogName = "runtime-log.json";

    private readonly ShimOptions _options;
    private readonly IOciRuntime _runtime;
    private readonly byte[] _buffer = new byte[ReadSize];
    private readonly List<Supervised> _execs = [];
    private readonly List<Client> _clients = [];
    private SafeFileHandle? _listener;
    private JsonLog? _log;
    private Supervised? _init;
    private bool _created;
    private int _initPid;
    private ExitRecord? _exit;

    private Supervisor(ShimOptions options)
    {
        _options = options;
        _runtime = OpenRuntime(options);
    }

    /// <summary>berth-runtime's library, or the binary <c>--runtime</c> names (whose processes we reap as a subreaper).</summary>
    private static IOciRuntime OpenRuntime(ShimOptions options)
    {
        if (options.Runtime is null)
            return new ContainerRuntime(new RuntimeOptions { Root = options.RuntimeRoot, StageExecutable = options.Stage, Warn = Diagnostics.Write });
        ProcessCalls.SetChildSubreaper();
        return new CommandLineRuntime(options.Runtime, options.RuntimeRoot, Path.Combine(options.Bundle, RuntimeLogName));
    }

    /// <summary>The whole life of the shim; returns its exit code.</summary>
    public static int Run(ShimOptions options)
    {
        using var supervisor = new Supervisor(options);
        int pid;
        try
        {
            pid = supervisor.CreateContainer();
        }
        catch (Exception e)
        {
            Diagnostics.Write($"create {options.Id}: {e.Message}");
            supervisor.Abandon();
            ReadyLine.Write(ShimProtocol.Error(e.Message));
            return 1;
        }
        ReadyLine.Write(ShimProtocol.Ready(pid));
        RuntimeTrace.Mark("shim: ready");
        supervisor.Serve();
        return 0;
    }

    /// <summary>Socket, log, stdio, then the runtime's create: the init waits on the exec fifo for <c>start</c>.</summary>
    private int CreateContainer()
    {
        _listener = UnixSockets.Listen(_options.Socket, 128, 0b110_000_000);
        // --log-driver none: the output goes to attached clients only.
        _log = _options.NoLog ? null : JsonLog.Open(_options.Log, _options.LogMaxSize, _options.LogMaxFiles, _options.LogCompress, _options.CriLog);
        using var devNull = FileDescriptors.Open("/dev/null", OpenFlags.ReadWrite);
        using var console = _options.Tty ? ConsoleReceiver.Create() : null;
        var stdout = FileDescriptors.Pipe();
        var stderr = FileDescriptors.Pipe();
        var stdin = _options.Stdin && !_options.Tty ? FileDescriptors.Pipe() : null;
        try
        {
            var pid = _runtime.Create(new CreateRequest(_options.Id, _options.Bundle, console?.Path,
                Stdio: new StdioHandles(stdin?.Read ?? (SafeHandle)devNull, stdout.Write, stderr.Write)));
            _created = true;
            _initPid = pid;
            stdout.Write.Dispose();
            stderr.Write.Dispose();
            stdin?.Read.Dispose();

            var pidfd = ProcessCalls.TryPidfdOpen(pid) ?? throw LinuxException.FromLastError("pidfd_open", pid.ToString());
            _init = new Supervised(pid, pidfd, isInit: true);
            AddOutputs(_init, stdout.Read, stderr.Read);
            if (console is not null)
            {
                var master = console.Receive();
                if (_options.ConsoleHeight > 0 && _options.ConsoleWidth > 0) Pty.SetWindowSize(master, _options.ConsoleHeight, _options.ConsoleWidth);
                AddTerminal(_init, master, _options.Stdin);
            }
            else if (stdin is not null)
            {
                FileDescriptors.SetNonBlocking(stdin.Write);
                _init.Stdin = new StdinSink(stdin.Write, ownsFd: true);
            }
            return pid;
        }
        catch
        {
            stdout.Dispose();
            stderr.Dispose();
            stdin?.Dispose();
            throw;
        }
    }

    private static void AddOutputs(Supervised process, SafeFileHandle stdout, SafeFileHandle stderr)
    {
        FileDescriptors.SetNonBlocking(stdout);
        FileDescriptors.SetNonBlocking(stderr);
        process.Outputs.Add(new Output(stdout, stderr: false, ownsFd: true, process));
        process.Outputs.Add(new Output(stderr, stderr: true, ownsFd: true, process));
    }

    private static void AddTerminal(Supervised process, SafeFileHandle master, bool stdin)
    {
        process.Master = master;
        process.Outputs.Add(new Output(master, stderr: false, ownsFd: false, process));
        if (stdin) process.Stdin = new StdinSink(master, ownsFd: false);
    }

    /// <summary>A failed start leaves nothing: the container (if it got that far), the socket.</summary>
    private void Abandon()
    {
        if (_created)
        {
            try
            {
                _runtime.Delete(_options.Id, force: true);
            }
            catch (Exception e)
            {
                Diagnostics.Write($"delete {_options.Id}: {e.Message}");
            }
            ProcessCalls.WaitPid(_initPid, out _);
        }
        RemoveSocket();
    }

    /// <summary>The end: streams closed (or given up on), the container deleted from the runtime, the socket removed.</summary>
    private void Finish()
    {
        foreach (var exec in _execs) KillAndReap(exec);
        try
        {
            _runtime.Delete(_options.Id, force: true);
        }
        catch (Exception e)
        {
            Diagnostics.Write($"delete {_options.Id}: {e.Message}");
        }
        RemoveSocket();
    }

    private static void KillAndReap(Supervised exec)
    {
        if (exec.Exited) return;
        ProcessCalls.Kill(exec.Pid, Signals.SIGKILL);
        ProcessCalls.WaitPid(exec.Pid, out _);
    }

    private void RemoveSocket()
    {
        if (_listener is null) return;
        _listener.Dispose();
        _listener = null;
        try
        {
            File.Delete(_options.Socket);
        }
        catch (IOException e)
        {
            Diagnostics.Write($"remove {_options.Socket}: {e.Message}");
        }
    }

    /// <summary>
    /// Write to a temp file and rename: a reader sees no exit file or a whole one. No fsync: it sat on every run's
    /// path to its exit (tens of ms on a busy disk), and after a host crash the container is gone anyway (berthd then
    /// records 255 for a missing exit file, as for a shim that died).
    /// </summary>
    private void WriteExitFile(ExitRecord exit)
    {
        var temp = _options.ExitFile + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                file.Write(ShimProtocol.Exit(exit));
            }
            File.Move(temp, _options.ExitFile, overwrite: true);
        }
        catch (IOException e)
        {
            Diagnostics.Write($"write {_options.ExitFile}: {e.Message}");
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients) client.Close();
        foreach (var exec in _execs) exec.Dispose();
        _init?.Dispose();
        _log?.Dispose();
        _listener?.Dispose();
    }
}

/// <summary>The one line the daemon reads from our stdout (the ready pipe); then stdout becomes /dev/null.</summary>
public static class ReadyLine
{
    public static void Write(byte[] line)
    {
        using (var stdout = new SafeFileHandle(1, ownsHandle: false))
        {
            try
            {
                FileDescriptors.WriteAll(stdout, line);
            }
            catch (LinuxException e)
            {
                Diagnostics.Write($"ready line: {e.Message}");
            }
        }
        using var devNull = FileDescriptors.Open("/dev/null", OpenFlags.WriteOnly);
        FileDescriptors.Dup2((int)devNull.DangerousGetHandle(), 1);
    }
}
