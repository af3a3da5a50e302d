namespace Berth.Shim.Protocol;

/// <summary>The operations a shim serves on its socket.</summary>
public static class ShimOps
{
    public const string Start = "start", Attach = "attach", Exec = "exec", Kill = "kill", Pause = "pause", Resume = "resume",
        Resize = "resize", State = "state", Wait = "wait", Update = "update", Pids = "pids", ReopenLog = "reopen-log";
}

/// <summary>One request line. Which fields count depends on <see cref="Op"/> (see <see cref="ShimProtocol"/>).</summary>
public sealed record ShimRequest(string Op)
{
    public bool Stdin { get; init; }
    public bool Stdout { get; init; }
    public bool Stderr { get; init; }
    public int Signal { get; init; }
    public bool All { get; init; }
    public int Height { get; init; }
    public int Width { get; init; }

    /// <summary>resize: the exec whose terminal changes; null = the container's.</summary>
    public int? Pid { get; init; }

    /// <summary>exec: the OCI process object, as JSON.</summary>
    public ReadOnlyMemory<byte> Process { get; init; }

    /// <summary>update: the OCI <c>linux.resources</c> object, as JSON.</summary>
    public ReadOnlyMemory<byte> Resources { get; init; }
}

/// <summary>One answer line: an error, or ok (with an exec's pid), or a state, or an exit record, or the container's pids.</summary>
public sealed record ShimResponse(string? Error, bool Ok, int? Pid, string? Status, ExitRecord? Exit, IReadOnlyList<int>? Pids = null);

/// <summary>The shim answered with an error (the runtime's message, e.g. an exec whose executable is missing).</summary>
public sealed class ShimException(string message) : Exception(message)
{
    /// <summary>When the shim failed to start: its exit code (it has exited and been reaped when this is thrown).</summary>
    public int? ShimExitCode { get; init; }
}

/// <summary>The shim is not there: its socket is missing or refuses, or it closed before answering. Read the exit file.</summary>
public sealed class ShimGoneException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A line or frame that does not follow the protocol.</summary>
public sealed class ShimProtocolException(string message) : Exception(message);
