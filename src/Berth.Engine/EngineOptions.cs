namespace Berth.Engine;

/// <summary>How the engine runs: its data root, and the binaries it starts.</summary>
public sealed class EngineOptions
{
    public const string DefaultDataRoot = "/var/lib/berth";

    public string DataRoot { get; init; } = DefaultDataRoot;

    /// <summary><c>berth-shim</c>: one per running container.</summary>
    public string ShimPath { get; init; } = BesideDaemon("berth-shim");

    /// <summary><c>berth-runtime</c>: the shim runs its <c>init</c> stage inside each container.</summary>
    public string RuntimePath { get; init; } = BesideDaemon("berth-runtime");

    /// <summary>
    /// The init that <c>--init</c> runs as PID 1, mounted at /sbin/docker-init: a static binary, since it runs on the
    /// image's libraries (Docker ships tini as docker-init; Debian's tini-static is the same program).
    /// </summary>
    public string InitPath { get; init; } = "/usr/bin/tini-static";

    private static string BesideDaemon(string name) => Path.Combine(AppContext.BaseDirectory, name);
}
