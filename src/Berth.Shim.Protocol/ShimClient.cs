namespace Berth.Shim.Protocol;

/// <summary>A container's supervisor's state as the shim answers <c>state</c>.</summary>
public sealed record ShimState(int Pid, string Status);

/// <summary>
/// berthd's side of a shim's socket: one connection per call. A missing or refusing socket throws
/// <see cref="ShimGoneException"/> (the shim has exited: <see cref="ReadExitFile"/> says how the container ended); an
/// error answer throws <see cref="ShimException"/> with the runtime's message. Given the exit file, <see cref="WaitAsync"/>
/// also answers when the shim has just exited (it removes its socket right after the container's end).
/// </summary>
public sealed class ShimClient(string socketPath, string? exitFile = null)
{
    public string SocketPath => socketPath;
    public string? ExitFile => exitFile;

    public Task StartAsync(CancellationToken cancellation = default) => CallAsync(new ShimRequest(ShimOps.Start), cancellation);

    public Task KillAsync(int signal, bool all = false, CancellationToken cancellation = default) =>
        CallAsync(new ShimRequest(ShimOps.Kill) { Signal = signal, All = all }, cancellation);

    public Task PauseAsync(CancellationToken cancellation = default) => CallAsync(new ShimRequest(ShimOps.Pause), cancellation);

    public Task ResumeAsync(CancellationToken cancellation = default) => CallAsync(new ShimRequest(ShimOps.Resume), cancellation);

    /// <summary>Sets the window size of the container's terminal, or of exec <paramref name="pid"/>'s.</summary>
    public Task ResizeAsync(int height, int width, int? pid = null, CancellationToken cancellation = default) =>
        CallAsync(new ShimRequest(ShimOps.Resize) { Height = height, Width = width, Pid = pid }, cancellation);

    /// <summary>Applies new resource limits (an OCI <c>linux.resources</c> object, as JSON) to the container's cgroup.</summary>
    public Task UpdateAsync(ReadOnlyMemory<byte> resourcesJson, CancellationToken cancellation = default) =>
        CallAsync(new ShimRequest(ShimOps.Update) { Resources = resourcesJson }, cancellation);

    /// <summary>Closes the log file and opens it again at its path (the CRI's log rotation: kubelet renamed it).</summary>
    public Task ReopenLogAsync(CancellationToken cancellation = default) => CallAsync(new ShimRequest(ShimOps.ReopenLog), cancellation);

    /// <summary>The pids (in the host's namespace) of every process in the container's cgroup.</summary>
    public async Task<IReadOnlyList<int>> PidsAsync(CancellationToken cancellation = default) =>
        (await CallAsync(new ShimRequest(ShimOps.Pids), cancellation)).Pids ?? throw new ShimProtocolException("pids answer has no pids");

    public async Task<ShimState> StateAsync(CancellationToken cancellation = default)
    {
        var response = await CallAsync(new ShimRequest(ShimOps.State), cancellation);
        return new ShimState(response.Pid ?? 0, response.Status ?? "unknown");
    }

    /// <summary>Waits until the container's init has exited.</summary>
    public async Task<ExitRecord> WaitAsync(CancellationToken cancellation = default)
    {
        try
        {
            var response = await CallAsync(new ShimRequest(ShimOps.Wait), cancellation);
            return response.Exit ?? throw new ShimProtocolException("wait answer has no exit code");
        }
        catch (ShimGoneException) when (exitFile is not null && ReadExitFile(exitFile) is { } exit)
        {
            return exit;
        }
    }

    /// <summary>Attaches to the container's stdio. Output from then on arrives as frames; attach before start to miss nothing.</summary>
    public async Task<ShimStream> AttachAsync(bool stdin, bool stdout, bool stderr, CancellationToken cancellation = default)
    {
        var (_, connection) = await OpenStreamAsync(new ShimRequest(ShimOps.Attach) { Stdin = stdin, Stdout = stdout, Stderr = stderr }, cancellation);
        return new ShimStream(connection);
    }

    /// <summary>Runs <paramref name="processJson"/> (an OCI process object) in the container; its stream ends with an exit frame.</summary>
    public async Task<(int Pid, ShimStream Stream)> ExecAsync(ReadOnlyMemory<byte> processJson, bool stdin, CancellationToken cancellation = default)
    {
        var (response, connection) = await OpenStreamAsync(new ShimRequest(ShimOps.Exec) { Process = processJson, Stdin = stdin }, cancellation);
        return (response.Pid ?? 0, new ShimStream(connection));
    }

    /// <summary>The exit file the shim wrote when the container's init exited, or null when there is none (yet).</summary>
    public static ExitRecord? ReadExitFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return ShimProtocol.DecodeResponse(bytes).Exit ?? throw new ShimProtocolException($"{path} has no exit code");
    }

    private async Task<ShimResponse> CallAsync(ShimRequest request, CancellationToken cancellation)
    {
        using var connection = await ShimConnection.OpenAsync(socketPath, cancellation);
        return await connection.RequestAsync(request, cancellation);
    }

    private async Task<(ShimResponse, ShimConnection)> OpenStreamAsync(ShimRequest request, CancellationToken cancellation)
    {
        var connection = await ShimConnection.OpenAsync(socketPath, cancellation);
        try
        {
            return (await connection.RequestAsync(request, cancellation), connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
