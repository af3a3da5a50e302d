using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux;

namespace Berth.Shim.Protocol;

/// <summary>How to start one container's shim: the executable, its command line, and where its own diagnostics go.</summary>
public sealed record ShimLaunchRequest
{
    /// <summary>The berth-shim executable.</summary>
    public required string ShimPath { get; init; }
    public required ShimOptions Options { get; init; }

    /// <summary>The shim's stderr: a file it appends its own diagnostics to.</summary>
    public required string DiagnosticsFile { get; init; }

    /// <summary>The shim's environment: <see cref="DefaultEnvironment"/> unless given.</summary>
    public IReadOnlyList<string> Environment { get; init; } = DefaultEnvironment;

    /// <summary>Our PATH only.</summary>
    public static IReadOnlyList<string> DefaultEnvironment { get; } =
        ["PATH=" + (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")];
}

/// <summary>A running shim: its pid (our child, reaped in the background), the container's init pid, and its socket.</summary>
public sealed class ShimProcess(int pid, int containerPid, ShimClient client, Task<int> exited)
{
    public int Pid => pid;
    public int ContainerPid => containerPid;

    /// <summary>Completes with the shim's exit code once it has exited and been reaped.</summary>
    public Task<int> Exited => exited;

    /// <summary>A client for its socket that knows its exit file.</summary>
    public ShimClient Client => client;
}

/// <summary>
/// Starts berth-shim with posix_spawn in a new session (stdin /dev/null, stdout the ready pipe, stderr the diagnostics
/// file), reads its ready line, and has it reaped once it exits (<see cref="ChildReaper"/>).
/// </summary>
public static class ShimLauncher
{
    private const int MaxReadyLine = 64 * 1024;

    /// <summary>
    /// Returns once the container is created (not started). Throws <see cref="ShimException"/> with the shim's error
    /// once the shim has exited (it leaves nothing behind: no container, cgroup, state or socket).
    /// </summary>
    public static async Task<ShimProcess> LaunchAsync(ShimLaunchRequest request, CancellationToken cancellation = default)
    {
        int pid;
        Task<int> exited;
        var ready = FileDescriptors.Pipe();
        using (ready.Write)
        using (var devNull = FileDescriptors.Open("/dev/null", OpenFlags.ReadOnly))
        using (var diagnostics = FileDescriptors.Open(request.DiagnosticsFile, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Append, 0b110_000_000))
        {
            pid = ProcessSpawner.Spawn(new SpawnRequest
            {
                Path = request.ShimPath,
                Args = request.Options.Arguments(),
                Env = request.Environment,
                Fds = new Dictionary<int, SafeHandle> { [0] = devNull, [1] = ready.Write, [2] = diagnostics },
                NewSession = true,
            });
            exited = ChildReaper.Watch(pid);
        }
        byte[] line;
        using (var stream = new FileStream(ready.Read, FileAccess.Read, 1))
            line = await ReadAllAsync(stream, cancellation);
        if (line.Length == 0)
        {
            var code = await exited;
            throw new ShimException($"berth-shim exited ({code}) before it was ready: {Tail(request.DiagnosticsFile)}") { ShimExitCode = code };
        }
        var response = ShimProtocol.DecodeResponse(line);
        // After an error line the shim has cleaned up and exits at once: wait, so that nothing of it is left when we throw.
        if (response.Error is { } error) throw new ShimException(error) { ShimExitCode = await exited };
        return new ShimProcess(pid, response.Pid ?? 0, new ShimClient(request.Options.Socket, request.Options.ExitFile), exited);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellation)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellation)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxReadyLine) throw new ShimProtocolException("berth-shim's ready line is too long");
        }
        return buffer.ToArray();
    }

    private static string Tail(string path)
    {
        try
        {
            var text = File.ReadAllText(path, Encoding.UTF8).TrimEnd();
            return text.Length == 0 ? "(no diagnostics)" : text[Math.Max(0, text.Length - 2000)..];
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }
}
