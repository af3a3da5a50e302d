using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Berth.Cli.Terminal;

namespace Berth.Cli.Cli;

/// <summary>
/// The process's standard streams and terminal, as commands see them. <see cref="Out"/>/<see cref="Err"/> are
/// auto-flushing writers over <see cref="StdoutStream"/>/<see cref="StderrStream"/>, so text and raw bytes interleave.
/// </summary>
internal sealed class CliConsole
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public CliConsole(Stream stdin, Stream stdout, Stream stderr, ITerminal terminal, ISignalSource signals)
    {
        StdinStream = stdin;
        StdoutStream = stdout;
        StderrStream = stderr;
        Out = new StreamWriter(stdout, Utf8NoBom, 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        Err = new StreamWriter(stderr, Utf8NoBom, 1024, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        Terminal = terminal;
        Signals = signals;
    }

    public Stream StdinStream { get; }
    public Stream StdoutStream { get; }
    public Stream StderrStream { get; }
    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public ITerminal Terminal { get; }
    public ISignalSource Signals { get; }

    /// <summary>
    /// The process's stdio, as bare fds where that is safe. Console streams initialise .NET's terminal handling on
    /// first use (a line editor on terminal reads, keypad-mode escapes written to the terminal), which would break
    /// <c>run -it</c>. But a FileStream over a regular file pwrites at its own position, so stdout and stderr sharing
    /// one file (<c>&gt;out 2&gt;&amp;1</c>) would overwrite each other: seekable outputs keep the Console streams.
    /// </summary>
    public static CliConsole FromProcess() => new(
        Console.IsInputRedirected ? Console.OpenStandardInput() : Fd(0, FileAccess.Read),
        Output(1, Console.OpenStandardOutput), Output(2, Console.OpenStandardError),
        new SttyTerminal(), new PosixSignalSource());

    private static FileStream Fd(int fd, FileAccess access) => new(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);

    private static Stream Output(int fd, Func<Stream> console)
    {
        var stream = Fd(fd, FileAccess.Write);
        if (!stream.CanSeek)
            return stream;
        stream.Dispose();
        return console();
    }
}

/// <summary>The terminal the CLI runs in (raw mode for <c>-t</c>, window size for resize).</summary>
internal interface ITerminal
{
    bool IsStdinTerminal { get; }
    bool IsStdoutTerminal { get; }
    bool IsStderrTerminal { get; }

    /// <summary>Puts stdin's terminal in raw mode (no echo, no line editing, no signal keys); dispose restores it.</summary>
    IDisposable MakeRaw();

    /// <summary>Stops stdin's terminal echoing what is typed, line editing kept (password prompts); dispose restores it.</summary>
    IDisposable DisableEcho();

    /// <summary>Rows and columns of stdout's terminal; null when unknown.</summary>
    (int Height, int Width)? GetSize();

    /// <summary>Calls <paramref name="onResize"/> on every SIGWINCH until disposed.</summary>
    IDisposable OnResize(Action onResize);
}

/// <summary>Signals the CLI forwards to a container (<c>--sig-proxy</c>): INT, TERM, QUIT, HUP.</summary>
internal interface ISignalSource
{
    /// <summary>Catches those signals (so they no longer end the CLI) and reports each by name, until disposed.</summary>
    IDisposable Subscribe(Action<string> onSignal);
}

/// <summary><see cref="ISignalSource"/> over <see cref="PosixSignalRegistration"/>.</summary>
internal sealed class PosixSignalSource : ISignalSource
{
    public IDisposable Subscribe(Action<string> onSignal)
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "INT"), (PosixSignal.SIGTERM, "TERM"), (PosixSignal.SIGQUIT, "QUIT"), (PosixSignal.SIGHUP, "HUP") })
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                onSignal(name);
            }));
        }
        return new Disposables(registrations);
    }
}

internal sealed class Disposables(IEnumerable<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items)
            item.Dispose();
    }
}
