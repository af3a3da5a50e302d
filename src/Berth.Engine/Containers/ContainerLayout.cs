namespace Berth.Engine.Containers;

/// <summary>
/// Where a container's files live: under the data root, and under the exec root (the data root when none is given)
/// what belongs to this boot only:
/// <code>
/// &lt;data-root&gt;/
///   containers/&lt;id&gt;/
///     config.json          the OCI bundle's spec (the bundle is this directory)
///     rootfs/              mount point of the container's overlay while it runs
///     hostname hosts resolv.conf
///     &lt;id&gt;-json.log      Docker's json-file log, written by the shim (.1, .2.gz… once rotated)
///     exit.json            the shim's record of the last exit (write-then-rename)
///     shim.log             the shim's own diagnostics
///     mounts/shm/          a shareable IPC's /dev/shm, a tmpfs mounted while the container runs
/// &lt;exec-root&gt;/
///   shims/&lt;id[..16]&gt;.sock  the shim's socket (short: sun_path holds 108 bytes)
///   netns/&lt;id&gt;           the container's network namespace, bind-mounted while it runs
///   runtime/               berth-runtime's state root (seccomp/: its compiled programs)
///   runtimes/&lt;name&gt;/       the state root of another runtime (runc, crun) by its name
///   trash/                 (data root) removed containers' directories being deleted
/// </code>
/// </summary>
public sealed class ContainerLayout(string dataRoot, string? execRoot = null)
{
    public string ContainersRoot { get; } = Path.Combine(dataRoot, "containers");
    public string ShimsRoot { get; } = Path.Combine(execRoot ?? dataRoot, "shims");
    public string RuntimeRoot { get; } = Path.Combine(execRoot ?? dataRoot, "runtime");
    public string OtherRuntimesRoot { get; } = Path.Combine(execRoot ?? dataRoot, "runtimes");
    public string NetnsRoot { get; } = Path.Combine(execRoot ?? dataRoot, "netns");
    /// <summary>Removed containers' directories, renamed here and deleted in the background (<see cref="Berth.Snapshots.Trash"/>).</summary>
    public string TrashRoot { get; } = Path.Combine(dataRoot, "trash");

    public ContainerLayout(EngineOptions options) : this(options.DataRoot, options.ExecRoot)
    {
    }

    public string Dir(string id) => Path.Combine(ContainersRoot, id);

    /// <summary>The state root of the runtime named <paramref name="runtime"/>: berth-runtime's, or another's of its own.</summary>
    public string RuntimeRootOf(string runtime) =>
        runtime is "" or EngineOptions.BerthRuntime ? RuntimeRoot : Path.Combine(OtherRuntimesRoot, runtime);
    public string Rootfs(string id) => Path.Combine(Dir(id), "rootfs");
    public string Log(string id) => Path.Combine(Dir(id), id + "-json.log");
    public string ExitFile(string id) => Path.Combine(Dir(id), "exit.json");
    public string ShimLog(string id) => Path.Combine(Dir(id), "shim.log");
    public string ShmDir(string id) => Path.Combine(Dir(id), "mounts", "shm");
    public string Hostname(string id) => Path.Combine(Dir(id), "hostname");
    public string Hosts(string id) => Path.Combine(Dir(id), "hosts");
    public string ResolvConf(string id) => Path.Combine(Dir(id), "resolv.conf");
    public string Netns(string id) => Path.Combine(NetnsRoot, id);
    public string ShimSocket(string id) => Path.Combine(ShimsRoot, id[..16] + ".sock");

    /// <summary>The snapshot key of the container's writable layer.</summary>
    public static string SnapshotKey(string id) => "container-" + id;
}
