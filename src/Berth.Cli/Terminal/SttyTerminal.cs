using System.Diagnostics;
using System.Runtime.InteropServices;
using Berth.Cli.Cli;

namespace Berth.Cli.Terminal;

/// <summary>
/// The real terminal, driven through <c>stty</c>: Berth.Cli may not P/Invoke (termios lives in Berth.Linux).
/// <c>stty</c> inherits our stdin, so it acts on our terminal. Console.WindowWidth is avoided on purpose:
/// it initialises .NET's console, which writes keypad-mode escapes to the terminal.
/// </summary>
internal sealed class SttyTerminal : ITerminal
{
    public bool IsStdinTerminal => !Console.IsInputRedirected;
    public bool IsStdoutTerminal => !Console.IsOutputRedirected;
    public bool IsStderrTerminal => !Console.IsErrorRedirected;

    public IDisposable MakeRaw() => Change("raw", "-echo");

    public IDisposable DisableEcho() => Change("-echo");

    public (int Height, int Width)? GetSize()
    {
        var parts = Stty("size")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is [var rows, var cols] && int.TryParse(rows, out var h) && int.TryParse(cols, out var w) && h > 0 && w > 0
            ? (h, w)
            : null;
    }

    public IDisposable OnResize(Action onResize) =>
        PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => onResize());

    /// <summary>Sets the modes; the returned handle puts back the settings saved before.</summary>
    private static Restore Change(params string[] modes)
    {
        var saved = Stty("-g")?.Trim();
        Stty(modes);
        return new Restore(saved);
    }

    /// <summary>Runs <c>stty</c> on our stdin; its stdout, or null when it failed.</summary>
    private static string? Stty(params string[] args)
    {
        var start = new ProcessStartInfo("stty") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start);
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private sealed class Restore(string? saved) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                Stty(saved is { Length: > 0 } ? saved : "sane");
        }
    }
}
