namespace Berth.Engine;

/// <summary>How the engine runs: its data root, and the binaries it starts.</summary>
public sealed class EngineOptions
{
    public const string DefaultDataRoot = "/var/lib/berth";

    public string DataRoot { get; init; } = DefaultDataRoot;

    /// <summary>
    /// State that belongs to this boot and this daemon only (<c>--exec-root</c>, dockerd's <c>/var/run/docker</c>): shim
    /// sockets and berth-runtime's state; null keeps them under <see cref="DataRoot"/>.
    /// </summary>
    public string? ExecRoot { get; init; }

    /// <summary><c>--default-ulimit</c>: the rlimits of containers that do not set their own of the same name.</summary>
    public IReadOnlyList<Containers.Model.Ulimit> DefaultUlimits { get; init; } = [];

    /// <summary>The daemon's <c>--log-driver</c> and <c>--log-opt</c>: what a container that asks for none gets.</summary>
    public Containers.Model.LogConfig DefaultLogConfig { get; init; } = Containers.Model.LogConfig.Default;

    /// <summary><c>--live-restore</c>: containers keep running while the daemon is down (info reports it).</summary>
    public bool LiveRestore { get; init; } = true;

    /// <summary>The OCI runtimes <c>info</c> lists, by name (<see cref="DefaultRuntime"/>, then <c>--add-runtime</c>'s).</summary>
    public IReadOnlyDictionary<string, string> Runtimes { get; init; } = new Dictionary<string, string>();

    /// <summary>The name berth-runtime goes by in <c>info</c> and a container's <c>HostConfig.Runtime</c>.</summary>
    public const string BerthRuntime = "berth";

    /// <summary>The runtime containers run with.</summary>
    public string DefaultRuntime { get; init; } = BerthRuntime;

    /// <summary>
    /// The runtime a container asking for <paramref name="name"/> runs with: the default for none; <c>runc</c>, which
    /// clients written for Docker may name, is the default too where no runc is registered.
    /// </summary>
    public string RuntimeNamed(string name) => name switch
    {
        "" => DefaultRuntime,
        BerthRuntime => name,
        _ when Runtimes.ContainsKey(name) => name,
        "runc" => DefaultRuntime,
        _ => throw new EngineException(ErrorKind.InvalidArgument, $"unknown or invalid runtime name: {name}"),
    };

    /// <summary>The binary of an added runtime (runc's command line); null for berth-runtime, which shims run in-process.</summary>
    public string? RuntimeBinary(string name) => name is "" or BerthRuntime ? null : Runtimes.GetValueOrDefault(name);

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
