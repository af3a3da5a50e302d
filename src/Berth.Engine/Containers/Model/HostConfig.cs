namespace Berth.Engine.Containers.Model;

/// <summary>How the host runs a container: Docker's create body <c>HostConfig</c>, the fields Berth honours.</summary>
public sealed record HostConfig
{
    /// <summary><c>bridge</c> (the default network), a network's name, <c>none</c>, <c>host</c> or <c>container:&lt;name|id&gt;</c>.</summary>
    public string NetworkMode { get; init; } = "none";
    /// <summary>Container port (<c>80/tcp</c>) → where it is published on the host.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>> PortBindings { get; init; } = new Dictionary<string, IReadOnlyList<PortBinding>>();
    /// <summary><c>-P</c>: every exposed port is published on a random host port.</summary>
    public bool PublishAllPorts { get; init; }
    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.No;
    public bool AutoRemove { get; init; }
    public bool Privileged { get; init; }
    public bool ReadonlyRootfs { get; init; }
    public bool Init { get; init; }
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    /// <summary>Raw <c>--security-opt</c> values: <c>no-new-privileges[:true|false]</c>, <c>seccomp=unconfined|&lt;json&gt;</c>.</summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    /// <summary>Mount point → tmpfs options (<c>--tmpfs /run:rw,size=64m</c>).</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();
    /// <summary>Bytes of <c>/dev/shm</c>; 0 means Docker's 64 MiB.</summary>
    public long ShmSize { get; init; }
    public IReadOnlyList<string> GroupAdd { get; init; } = [];
    /// <summary>
    /// Paths hidden from the container (a file behind /dev/null, a directory behind an empty read-only tmpfs), and
    /// paths it sees read-only; null means Docker's defaults (/proc/kcore…, /proc/sys…). The CRI sets them; a
    /// privileged container has none either way.
    /// </summary>
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public IReadOnlyList<string> Dns { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public IReadOnlyList<string> DnsOptions { get; init; } = [];
    public int OomScoreAdj { get; init; }
    /// <summary><c>host</c> shares the host's PID namespace (<c>--pid host</c>); empty gives the container its own.</summary>
    public string PidMode { get; init; } = "";
    /// <summary><c>host</c> shares the host's UTS namespace, so its hostname (<c>--uts host</c>); empty gives the container its own.</summary>
    public string UtsMode { get; init; } = "";
    /// <summary>
    /// <c>private</c> (Docker's default), <c>shareable</c> (its /dev/shm a tmpfs others can join), <c>host</c>,
    /// <c>none</c> (no /dev/shm) or <c>container:&lt;id&gt;</c> (the name resolved to the id at create).
    /// </summary>
    public string IpcMode { get; init; } = IpcModes.Private;
    /// <summary><c>host</c> or <c>private</c>, decided at create (Docker's default: private on cgroup v2 only).</summary>
    public string CgroupnsMode { get; init; } = "";
    /// <summary>The cgroup the container's own is made under; empty is <c>/berth</c>.</summary>
    public string CgroupParent { get; init; } = "";

    /// <summary>The OCI runtime by name (<c>info</c>'s Runtimes); empty at create takes the daemon's default.</summary>
    public string Runtime { get; init; } = "";
    /// <summary><c>--device host[:container][:rwm]</c>.</summary>
    public IReadOnlyList<DeviceMapping> Devices { get; init; } = [];
    /// <summary><c>--device-cgroup-rule 'c 1:3 rwm'</c>: allow rules added to the devices cgroup.</summary>
    public IReadOnlyList<string> DeviceCgroupRules { get; init; } = [];
    /// <summary><c>--gpus</c> and other device requests; kept for inspect, refused at start (no device driver here).</summary>
    public IReadOnlyList<DeviceRequest> DeviceRequests { get; init; } = [];
    /// <summary>The log driver and its options, with the daemon's defaults merged in at create.</summary>
    public LogConfig LogConfig { get; init; } = LogConfig.Default;

    /// <summary><c>--annotation</c>: passed to the OCI runtime in the spec's annotations.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
    /// <summary><c>--storage-opt</c>: the overlay snapshotter has no quota, so any option is refused at create.</summary>
    public IReadOnlyDictionary<string, string> StorageOpt { get; init; } = new Dictionary<string, string>();
    /// <summary>Rows of <c>--console-size</c>/the CLI's initial terminal size, applied before the process starts.</summary>
    public ConsoleSize? ConsoleSize { get; init; }
    public Resources Resources { get; init; } = new();
    /// <summary><c>-v src:dst[:mode]</c>: a bind when src is absolute, else a named volume.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];
    /// <summary><c>--mount</c>: bind, volume and tmpfs mounts.</summary>
    public IReadOnlyList<MountSpec> Mounts { get; init; } = [];
    /// <summary><c>--volumes-from id[:ro|rw]</c>.</summary>
    public IReadOnlyList<string> VolumesFrom { get; init; } = [];
    /// <summary>The driver of the volumes this container creates; empty is <c>local</c>.</summary>
    public string VolumeDriver { get; init; } = "";
}

/// <summary>Docker's restart policy; <c>Name</c> is one of <c>no</c>, <c>always</c>, <c>on-failure</c>, <c>unless-stopped</c>.</summary>
public sealed record RestartPolicy(string Name, int MaximumRetryCount)
{
    public static readonly RestartPolicy No = new("no", 0);
}

/// <summary>Resource limits, in Docker's units (bytes, nano-CPUs, shares).</summary>
public sealed record Resources
{
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long MemoryReservation { get; init; }
    public long NanoCpus { get; init; }
    public long CpuShares { get; init; }
    public long CpuPeriod { get; init; }
    public long CpuQuota { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    public long? PidsLimit { get; init; }
    public ushort BlkioWeight { get; init; }
    public IReadOnlyList<WeightDevice> BlkioWeightDevice { get; init; } = [];
    public IReadOnlyList<ThrottleDevice> BlkioDeviceReadBps { get; init; } = [];
    public IReadOnlyList<ThrottleDevice> BlkioDeviceWriteBps { get; init; } = [];
    public IReadOnlyList<ThrottleDevice> BlkioDeviceReadIOps { get; init; } = [];
    public IReadOnlyList<ThrottleDevice> BlkioDeviceWriteIOps { get; init; } = [];
    /// <summary>null is unset (inspect shows false), as Docker's pointer field.</summary>
    public bool? OomKillDisable { get; init; }
    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];
}

/// <summary><c>--log-driver</c> and <c>--log-opt</c>: json-file, local or none, and the driver's options.</summary>
public sealed record LogConfig(string Type, IReadOnlyDictionary<string, string> Config)
{
    public static readonly LogConfig Default = new("json-file", new Dictionary<string, string>());
}

/// <summary>A block device (by its host path) and its own blkio weight.</summary>
public sealed record WeightDevice(string Path, ushort Weight);

/// <summary>A block device (by its host path) and a rate: bytes or operations per second.</summary>
public sealed record ThrottleDevice(string Path, ulong Rate);

/// <summary><c>--device</c>: a host device node (or a directory of them), where it appears, and its cgroup access.</summary>
public sealed record DeviceMapping(string PathOnHost, string PathInContainer, string CgroupPermissions);

/// <summary>A device request (<c>--gpus</c>): which driver, how many, which devices, with which capabilities.</summary>
public sealed record DeviceRequest
{
    public string Driver { get; init; } = "";
    public int Count { get; init; }
    public IReadOnlyList<string> DeviceIDs { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<string>> Capabilities { get; init; } = [];
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

/// <summary>Docker's IPC modes.</summary>
public static class IpcModes
{
    public const string Private = "private";
    public const string Shareable = "shareable";
    public const string Host = "host";
    public const string None = "none";

    public static bool IsValid(string mode) => mode is Private or Shareable or Host or None || ContainerModes.DonorOf(mode) is not null;
}

/// <summary>Docker's PID modes: a private namespace (empty), the host's, or another container's.</summary>
public static class PidModes
{
    public const string Host = "host";

    public static bool IsValid(string mode) => mode is "" or Host || ContainerModes.DonorOf(mode) is not null;
}

/// <summary>The <c>container:&lt;name or id&gt;</c> form of the IPC and PID modes: join another container's namespace.</summary>
public static class ContainerModes
{
    public const string Prefix = "container:";

    /// <summary>The name or id after <c>container:</c>; null for any other mode (and for a bare <c>container:</c>).</summary>
    public static string? DonorOf(string mode) =>
        mode.StartsWith(Prefix, StringComparison.Ordinal) && mode.Length > Prefix.Length ? mode[Prefix.Length..] : null;
}

public sealed record Ulimit(string Name, long Soft, long Hard);

public readonly record struct ConsoleSize(ushort Height, ushort Width);
