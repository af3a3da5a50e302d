using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// The container flags <c>run</c> and <c>create</c> share (docker's <c>containerOptions</c>), as parsed values;
/// <see cref="ContainerOptions.ToRequest"/> turns them into the create body.
/// </summary>
internal sealed partial class ContainerOptions
{
    public List<string> Attach { get; } = [];
    public bool Interactive { get; private set; }
    public bool Tty { get; private set; }
    public List<string> Env { get; } = [];
    public List<string> EnvFiles { get; } = [];
    public List<string> Labels { get; } = [];
    public List<string> LabelFiles { get; } = [];
    public string WorkingDir { get; private set; } = "";
    public string User { get; private set; } = "";
    public string Entrypoint { get; private set; } = "";
    public string Hostname { get; private set; } = "";
    public string Domainname { get; private set; } = "";
    public bool Init { get; private set; }
    public string Restart { get; private set; } = "no";
    public bool AutoRemove { get; private set; }
    public long Memory { get; private set; }
    public long MemorySwap { get; private set; }
    public long MemoryReservation { get; private set; }
    public long MemorySwappiness { get; private set; } = -1;
    public bool OomKillDisable { get; private set; }
    public int OomScoreAdj { get; private set; }
    public long NanoCpus { get; private set; }
    public long CpuShares { get; private set; }
    public string CpusetCpus { get; private set; } = "";
    public string CpusetMems { get; private set; } = "";
    public long CpuPeriod { get; private set; }
    public long CpuQuota { get; private set; }
    public long PidsLimit { get; private set; }
    public List<(string Name, long Soft, long Hard)> Ulimits { get; } = [];
    public bool ReadOnly { get; private set; }
    public List<string> Tmpfs { get; } = [];
    public long ShmSize { get; private set; }
    public List<string> CapAdd { get; } = [];
    public List<string> CapDrop { get; } = [];
    public bool Privileged { get; private set; }
    public List<string> SecurityOpt { get; } = [];
    public string StopSignal { get; private set; } = "";
    public int StopTimeout { get; private set; }
    public string HealthCmd { get; private set; } = "";
    public long HealthInterval { get; private set; }
    public long HealthTimeout { get; private set; }
    public long HealthStartPeriod { get; private set; }
    public long HealthStartInterval { get; private set; }
    public int HealthRetries { get; private set; }
    public bool NoHealthcheck { get; private set; }
    public List<string> Publish { get; } = [];
    public bool PublishAll { get; private set; }
    public List<string> Expose { get; } = [];
    public List<string> Volumes { get; } = [];
    public List<string> VolumesFrom { get; } = [];
    public List<Berth.Api.Models.Containers.Mount> Mounts { get; } = [];
    public List<string> AddHosts { get; } = [];
    public List<string> Dns { get; } = [];
    public List<string> DnsSearch { get; } = [];
    public List<string> DnsOptions { get; } = [];
    public string IpcMode { get; private set; } = "";
    public string PidMode { get; private set; } = "";
    public string UtsMode { get; private set; } = "";
    public string UsernsMode { get; private set; } = "";
    public string CgroupnsMode { get; private set; } = "";
    public string LogDriver { get; private set; } = "";
    public List<string> LogOpts { get; } = [];
    public List<string> Sysctls { get; } = [];
    public string Runtime { get; private set; } = "";
    public List<string> GroupAdd { get; } = [];
    public List<string> Devices { get; } = [];
    public string ContainerIdFile { get; private set; } = "";
    public string CgroupParent { get; private set; } = "";

    /// <summary>Flags whose absence and zero differ (pointer fields in Go).</summary>
    private FlagSet? _flags;

    public void Configure(FlagSet flags)
    {
        _flags = flags;
        flags.List("attach", 'a', "Attach to STDIN, STDOUT or STDERR", Attach);
        flags.Bool("interactive", 'i', "Keep STDIN open even if not attached", v => Interactive = v);
        flags.Bool("tty", 't', "Allocate a pseudo-TTY", v => Tty = v);
        flags.List("env", 'e', "Set environment variables", Env);
        flags.List("env-file", null, "Read in a file of environment variables", EnvFiles);
        flags.List("label", 'l', "Set meta data on a container", Labels);
        flags.List("label-file", null, "Read in a line delimited file of labels", LabelFiles);
        flags.String("workdir", 'w', "Working directory inside the container", v => WorkingDir = v);
        flags.String("user", 'u', "Username or UID (format: <name|uid>[:<group|gid>])", v => User = v);
        flags.String("entrypoint", null, "Overwrite the default ENTRYPOINT of the image", v => Entrypoint = v);
        flags.String("hostname", 'h', "Container host name", v => Hostname = v);
        flags.String("domainname", null, "Container NIS domain name", v => Domainname = v);
        flags.Bool("init", null, "Run an init inside the container that forwards signals and reaps processes", v => Init = v);
        flags.String("restart", null, "Restart policy to apply when a container exits", v => Restart = v, "\"no\"");
        flags.Bool("rm", null, "Automatically remove the container and its associated anonymous volumes when it exits", v => AutoRemove = v);
        flags.String("memory", 'm', "Memory limit", v => Memory = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.String("memory-swap", null, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", v => MemorySwap = ValueParsers.MemorySwapBytes(v)).ValueTypeIs("bytes");
        flags.String("memory-reservation", null, "Memory soft limit", v => MemoryReservation = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.Long("memory-swappiness", null, "Tune container memory swappiness (0 to 100)", v => MemorySwappiness = v, "-1");
        flags.Bool("oom-kill-disable", null, "Disable OOM Killer", v => OomKillDisable = v);
        flags.Int("oom-score-adj", null, "Tune host's OOM preferences (-1000 to 1000)", v => OomScoreAdj = v);
        flags.String("cpus", null, "Number of CPUs", v => NanoCpus = ValueParsers.NanoCpus(v)).ValueTypeIs("decimal");
        flags.Long("cpu-shares", 'c', "CPU shares (relative weight)", v => CpuShares = v);
        flags.String("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)", v => CpusetCpus = v);
        flags.String("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)", v => CpusetMems = v);
        flags.Long("cpu-period", null, "Limit CPU CFS (Completely Fair Scheduler) period", v => CpuPeriod = v);
        flags.Long("cpu-quota", null, "Limit CPU CFS (Completely Fair Scheduler) quota", v => CpuQuota = v);
        flags.Long("pids-limit", null, "Tune container pids limit (set -1 for unlimited)", v => PidsLimit = v);
        flags.String("ulimit", null, "Ulimit options", v => Ulimits.Add(ValueParsers.Ulimit(v)), "[]").ValueTypeIs("ulimit");
        flags.Bool("read-only", null, "Mount the container's root filesystem as read only", v => ReadOnly = v);
        flags.List("tmpfs", null, "Mount a tmpfs directory", Tmpfs);
        flags.String("shm-size", null, "Size of /dev/shm", v => ShmSize = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.List("cap-add", null, "Add Linux capabilities", CapAdd);
        flags.List("cap-drop", null, "Drop Linux capabilities", CapDrop);
        flags.Bool("privileged", null, "Give extended privileges to this container", v => Privileged = v);
        flags.List("security-opt", null, "Security Options", SecurityOpt);
        flags.String("stop-signal", null, "Signal to stop the container", v => StopSignal = v);
        flags.Int("stop-timeout", null, "Timeout (in seconds) to stop a container", v => StopTimeout = v);
        flags.String("health-cmd", null, "Command to run to check health", v => HealthCmd = v);
        flags.String("health-interval", null, "Time between running the check (ms|s|m|h) (default 0s)", v => HealthInterval = ValueParsers.DurationNanos(v)).ValueTypeIs("duration");
        flags.String("health-timeout", null, "Maximum time to allow one check to run (ms|s|m|h) (default 0s)", v => HealthTimeout = ValueParsers.DurationNanos(v)).ValueTypeIs("duration");
        flags.String("health-start-period", null, "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)", v => HealthStartPeriod = ValueParsers.DurationNanos(v)).ValueTypeIs("duration");
        flags.String("health-start-interval", null, "Time between running the check during the start period (ms|s|m|h) (default 0s)", v => HealthStartInterval = ValueParsers.DurationNanos(v)).ValueTypeIs("duration");
        flags.Int("health-retries", null, "Consecutive failures needed to report unhealthy", v => HealthRetries = v);
        flags.Bool("no-healthcheck", null, "Disable any container-specified HEALTHCHECK", v => NoHealthcheck = v);
        ConfigureNetworkFlags(flags);
        flags.List("publish", 'p', "Publish a container's port(s) to the host", Publish);
        flags.Bool("publish-all", 'P', "Publish all exposed ports to random ports", v => PublishAll = v);
        flags.List("expose", null, "Expose a port or a range of ports", Expose);
        flags.List("volume", 'v', "Bind mount a volume", Volumes);
        flags.List("volumes-from", null, "Mount volumes from the specified container(s)", VolumesFrom);
        flags.String("mount", null, "Attach a filesystem mount to the container", v => Mounts.Add(MountFlag.Parse(v))).ValueTypeIs("mount");
        flags.List("add-host", null, "Add a custom host-to-IP mapping (host:ip)", AddHosts);
        flags.List("dns", null, "Set custom DNS servers", Dns);
        flags.List("dns-search", null, "Set custom DNS search domains", DnsSearch);
        flags.List("dns-option", null, "Set DNS options", DnsOptions);
        flags.String("ipc", null, "IPC mode to use", v => IpcMode = v);
        flags.String("pid", null, "PID namespace to use", v => PidMode = v);
        flags.String("uts", null, "UTS namespace to use", v => UtsMode = v);
        flags.String("userns", null, "User namespace to use", v => UsernsMode = v);
        flags.String("cgroupns", null, """
            Cgroup namespace to use (host|private)
            'host':    Run the container in the Berth host's cgroup namespace
            'private': Run the container in its own private cgroup namespace
            '':        Use the cgroup namespace as configured by the
                       default-cgroupns-mode option on the daemon (default)
            """, v => CgroupnsMode = v);
        flags.String("cgroup-parent", null, "Optional parent cgroup for the container", v => CgroupParent = v);
        flags.String("log-driver", null, "Logging driver for the container", v => LogDriver = v);
        flags.List("log-opt", null, "Log driver options", LogOpts);
        flags.List("sysctl", null, "Sysctl options", Sysctls, defaultText: "map[]").ValueTypeIs("map");
        flags.String("runtime", null, "Runtime to use for this container", v => Runtime = v);
        flags.List("group-add", null, "Add additional groups to join", GroupAdd);
        flags.List("device", null, "Add a host device to the container", Devices);
        ConfigureDeviceFlags(flags);
        ConfigurePassThroughFlags(flags);
        flags.String("cidfile", null, "Write the container ID to the file", v => ContainerIdFile = v);
    }

    private bool Changed(string name) => _flags?.Changed(name) == true;
}
