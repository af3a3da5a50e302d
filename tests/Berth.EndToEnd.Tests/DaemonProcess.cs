using System.Diagnostics;
using System.Net.Sockets;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>berthd on a temp socket and data root, started for a test class and stopped (by its pid) after it.</summary>
public sealed class DaemonProcess : IDisposable
{
    private Process _process;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("berthd-").FullName;
    public string Socket => Path.Combine(Directory, "berth.sock");
    public string DataRoot => Path.Combine(Directory, "data");
    public string Host => "unix://" + Socket;

    public DaemonProcess() => _process = Start();

    /// <summary>Stops the daemon and starts it again on the same socket and data root.</summary>
    public void Restart()
    {
        Stop();
        _process = Start();
    }

    private Process Start()
    {
        var info = new ProcessStartInfo(RepoPaths.Daemon) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-H", Host, "--data-root", DataRoot }) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"berthd exited with {process.ExitCode}");
            if (Answers()) return process;
            Thread.Sleep(50);
        }
        process.Kill();
        throw new TimeoutException("berthd did not listen within 15 s");
    }

    private bool Answers()
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(Socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    public void Dispose()
    {
        Stop();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
