using System.Diagnostics;
using System.Net.Sockets;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// berthd on a temp socket and data root, started for a test class and stopped (by its pid) after it. Disposing
/// removes every container first (so shims, mounts and cgroups go with them), then stops the daemon.
/// </summary>
public class DaemonProcess : IDisposable
{
    private Process _process;
    private readonly IReadOnlyList<string> _extraArguments = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("berthd-").FullName;
    public string Socket => Path.Combine(Directory, "berth.sock");
    public string DataRoot => Path.Combine(Directory, "data");

    /// <summary>Its <c>--exec-root</c>: shim sockets, runtime state and network namespaces.</summary>
    public string ExecRoot => Path.Combine(Directory, "exec");
    public string Host => "unix://" + Socket;

    /// <summary>Where this daemon pulls docker.io names from; tests that pull start a registry here.</summary>
    public string DefaultRegistry { get; } = $"127.0.0.1:{FreePort()}";

    /// <summary>This daemon's own default bridge and address space.</summary>
    public TestBridge Bridge { get; } = new();

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public DaemonProcess() => _process = Start();

    /// <param name="hostRegistry">Also serve a registry (<c>--registry</c>) at <see cref="HostedRegistry"/>.</param>
    protected DaemonProcess(bool hostRegistry) : this(hostRegistry, [])
    {
    }

    /// <param name="extraArguments">More berthd flags (more -H, TLS…); the daemon still serves <see cref="Socket"/>.</param>
    protected DaemonProcess(IReadOnlyList<string> extraArguments) : this(false, extraArguments)
    {
    }

    protected DaemonProcess(bool hostRegistry, IReadOnlyList<string> extraArguments)
    {
        HostedRegistry = hostRegistry ? $"127.0.0.1:{FreePort()}" : null;
        _extraArguments = extraArguments;
        _process = Start();
    }

    /// <summary>The daemon's process id (to signal it).</summary>
    public int Pid => _process.Id;

    /// <summary>Waits (bounded) for the daemon to exit by itself; its exit code, or null if it still runs.</summary>
    public int? WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout) ? _process.ExitCode : null;

    /// <summary>What the daemon printed so far (its log), stdout and stderr interleaved.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>This daemon's daemon.json (<c>--config-file</c>; starts as <c>{}</c>, never the machine's).</summary>
    public string ConfigFile => Path.Combine(Directory, "daemon.json");

    /// <summary>Where this daemon serves its own registry, when it was started with one.</summary>
    public string? HostedRegistry { get; }

    /// <summary>The docker CLI (28.2.2 on PATH) against this daemon.</summary>
    public CommandResult Docker(params string[] args) => Commands.Run("docker", ["-H", Host, .. args]);

    public CommandResult DockerWithInput(string stdin, params string[] args) => Commands.Run("docker", ["-H", Host, .. args], stdin);

    /// <summary>The docker CLI with its own config directory (<c>--config</c>: where <c>login</c> keeps credentials).</summary>
    public CommandResult DockerWithConfig(string configDirectory, string? stdin, params string[] args) =>
        Commands.Run("docker", ["--config", configDirectory, "-H", Host, .. args], stdin);

    /// <summary>An HTTP client for the Engine API on this daemon's socket (base address <c>http://berth</c>).</summary>
    public HttpClient ApiClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://berth") };
    }

    /// <summary>Our CLI (<c>berth</c>, NativeAOT, from artifacts/native) against this daemon.</summary>
    public CommandResult Berth(params string[] args) => Commands.Run(RepoPaths.Cli, ["-H", Host, .. args]);

    public CommandResult BerthWithInput(string stdin, params string[] args) => Commands.Run(RepoPaths.Cli, ["-H", Host, .. args], stdin);

    /// <summary>Imports the busybox test rootfs as <paramref name="reference"/> (once per daemon).</summary>
    public void SeedBusybox(string reference = "busybox:latest")
    {
        if (Docker("image", "inspect", reference).ExitCode == 0) return;
        var tar = Path.Combine(Directory, "busybox.tar");
        Commands.Run("tar", ["-C", RepoPaths.BusyboxRootfs, "-cf", tar, "."]).Ok("tar");
        Docker("import", tar, reference).Ok("docker import");
    }

    /// <summary>Kills the daemon (SIGKILL: nothing is flushed, as in a crash) and starts it again on the same data,
    /// after <paramref name="whileDown"/> when given.</summary>
    public void Restart(Action? whileDown = null)
    {
        Stop();
        whileDown?.Invoke();
        _process = Start();
    }

    private Process Start()
    {
        var info = new ProcessStartInfo(RepoPaths.Daemon) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!File.Exists(ConfigFile)) File.WriteAllText(ConfigFile, "{}");
        // docker.io names resolve to a local port nobody listens on: a test daemon never reaches out to Docker Hub.
        // Its exec root, pidfile and daemon.json are its own, so that test daemons never share state with another daemon.
        string[] arguments = ["-H", Host, "--data-root", DataRoot, "--default-registry", DefaultRegistry, "--exec-root",
            ExecRoot, "--pidfile", Path.Combine(Directory, "berthd.pid"), "--config-file", ConfigFile, .. Bridge.Arguments];
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (HostedRegistry is not null) foreach (var a in new[] { "--registry", HostedRegistry }) info.ArgumentList.Add(a);
        foreach (var a in _extraArguments) info.ArgumentList.Add(a);
        info.Environment["BERTH_BIN"] = RepoPaths.Bin;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"berthd exited with {process.ExitCode}: {Output}");
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

    public virtual void Dispose()
    {
        if (!_process.HasExited)
        {
            var ids = Docker("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0) Docker(["rm", "-f", .. ids]);
            Docker("network", "prune", "-f"); // user networks take their bridges and rules with them
        }
        Stop();
        Bridge.Remove();
        foreach (var mount in File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(Directory, StringComparison.Ordinal)))
            Commands.Run("umount", ["-l", mount]);
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
