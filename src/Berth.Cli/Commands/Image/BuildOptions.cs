using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth build</c>'s flags, as docker's legacy builder takes them, and the API options they make.</summary>
internal sealed class BuildOptions
{
    private readonly List<string> _tags = [];
    private readonly List<string> _buildArgs = [];
    private readonly List<string> _labels = [];
    private readonly List<string> _extraHosts = [];
    private readonly List<string> _cacheFrom = [];
    private readonly List<string> _securityOpt = [];
    private readonly List<(string Name, long Soft, long Hard)> _ulimits = [];
    private long _memory, _memorySwap, _shmSize, _cpuShares, _cpuPeriod, _cpuQuota;
    private string _cpusetCpus = "", _cpusetMems = "", _cgroupParent = "", _isolation = "", _network = "default", _target = "";
    private bool _noCache, _pull, _forceRemove, _squash, _remove = true;

    public string File { get; private set; } = "";
    public string ImageIdFile { get; private set; } = "";
    public string Platform { get; private set; } = "";
    public bool Quiet { get; private set; }
    public bool Compress { get; private set; }

    public void Configure(FlagSet flags)
    {
        flags.String("add-host", null, "Add a custom host-to-IP mapping (\"host:ip\")", v => _extraHosts.Add(ExtraHost(v))).ValueTypeIs("list");
        flags.String("build-arg", null, "Set build-time variables", v => _buildArgs.Add(ValueParsers.Env(v, _ => null))).ValueTypeIs("list");
        flags.String("cache-from", null, "Images to consider as cache sources", v => _cacheFrom.AddRange(v.Split(','))).ValueTypeIs("strings");
        flags.String("cgroup-parent", null, "Set the parent cgroup for the \"RUN\" instructions during build", v => _cgroupParent = v);
        flags.Bool("compress", null, "Compress the build context using gzip", v => Compress = v);
        flags.Long("cpu-period", null, "Limit the CPU CFS (Completely Fair Scheduler) period", v => _cpuPeriod = v);
        flags.Long("cpu-quota", null, "Limit the CPU CFS (Completely Fair Scheduler) quota", v => _cpuQuota = v);
        flags.Long("cpu-shares", 'c', "CPU shares (relative weight)", v => _cpuShares = v);
        flags.String("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)", v => _cpusetCpus = v);
        flags.String("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)", v => _cpusetMems = v);
        flags.Bool("disable-content-trust", null, "Skip image verification", _ => { }, defaultText: "true");
        flags.String("file", 'f', "Name of the Dockerfile (Default is \"PATH/Dockerfile\")", v => File = v);
        flags.Bool("force-rm", null, "Always remove intermediate containers", v => _forceRemove = v);
        flags.String("iidfile", null, "Write the image ID to the file", v => ImageIdFile = v);
        flags.String("isolation", null, "Container isolation technology", v => _isolation = v);
        flags.String("label", null, "Set metadata for an image", v => _labels.Add(Label(v))).ValueTypeIs("list");
        flags.String("memory", 'm', "Memory limit", v => _memory = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.String("memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap",
            v => _memorySwap = ValueParsers.MemorySwapBytes(v)).ValueTypeIs("bytes");
        flags.String("network", null, "Set the networking mode for the RUN instructions during build", v => _network = v, defaultText: "\"default\"");
        flags.Bool("no-cache", null, "Do not use cache when building the image", v => _noCache = v);
        flags.String("platform", null, "Set platform if server is multi-platform capable", v => Platform = v);
        flags.Bool("pull", null, "Always attempt to pull a newer version of the image", v => _pull = v);
        flags.Bool("quiet", 'q', "Suppress the build output and print image ID on success", v => Quiet = v);
        flags.Bool("rm", null, "Remove intermediate containers after a successful build", v => _remove = v, defaultText: "true");
        flags.String("security-opt", null, "Security options", v => _securityOpt.AddRange(v.Split(','))).ValueTypeIs("strings");
        flags.String("shm-size", null, "Size of \"/dev/shm\"", v => _shmSize = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.Bool("squash", null, "Squash newly built layers into a single new layer", v => _squash = v);
        flags.String("tag", 't', "Name and optionally a tag in the \"name:tag\" format", v => _tags.Add(Tag(v))).ValueTypeIs("list");
        flags.String("target", null, "Set the target build stage to build.", v => _target = v);
        flags.String("ulimit", null, "Ulimit options", v => _ulimits.Add(ValueParsers.Ulimit(v)), defaultText: "[]").ValueTypeIs("ulimit");
    }

    /// <summary>
    /// The API options; <paramref name="dockerfile"/> is the context's Dockerfile path, <paramref name="registryConfig"/>
    /// X-Registry-Config. A <c>--build-arg NAME</c> takes the CLI's own NAME when set, else is sent without a value.
    /// </summary>
    public ImageBuildOptions ToApiOptions(string? dockerfile, string registryConfig, Func<string, string?> environment) => new()
    {
        Tags = _tags,
        Dockerfile = dockerfile,
        BuildArgs = _buildArgs.Select(a => ValueParsers.Env(a, environment).Split('=', 2))
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last() is { Length: > 1 } pair ? pair[1] : null),
        Labels = _labels.Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last() is { Length: > 1 } pair ? pair[1] : ""),
        Target = _target,
        NoCache = _noCache,
        Pull = _pull,
        Remove = _remove,
        ForceRemove = _forceRemove,
        Quiet = Quiet,
        NetworkMode = _network,
        Platform = Platform,
        ExtraHosts = _extraHosts,
        ShmSize = _shmSize,
        CacheFrom = _cacheFrom,
        Memory = _memory,
        MemorySwap = _memorySwap,
        CpuShares = _cpuShares,
        CpuPeriod = _cpuPeriod,
        CpuQuota = _cpuQuota,
        CpusetCpus = _cpusetCpus,
        CpusetMems = _cpusetMems,
        CgroupParent = _cgroupParent,
        Isolation = _isolation,
        SecurityOpt = _securityOpt,
        Ulimits = _ulimits,
        Squash = _squash,
        RegistryConfig = registryConfig,
    };

    /// <summary>docker's <c>validateTag</c>: a reference the daemon can tag with.</summary>
    private static string Tag(string value) =>
        ImageReference.TryParse(value) is not null ? value : throw new FormatException("invalid reference format");

    /// <summary>docker's <c>ValidateLabel</c>: a name, without blanks.</summary>
    private static string Label(string value)
    {
        var key = value.Split('=', 2)[0].TrimStart();
        if (key.Length == 0)
            throw new FormatException($"invalid label '{value}': empty name");
        if (key.Any(char.IsWhiteSpace))
            throw new FormatException($"label '{key}' contains whitespaces");
        return value;
    }

    /// <summary>docker's <c>ValidateExtraHost</c>: <c>host:ip</c> or <c>host=ip</c>, sent as <c>host:ip</c>.</summary>
    private static string ExtraHost(string value)
    {
        var separator = value.IndexOf('=') is var eq and >= 0 ? eq : value.IndexOf(':');
        var host = separator < 0 ? "" : value[..separator];
        if (host.Length == 0 || host.Contains(':'))
            throw new FormatException($"bad format for add-host: \"{value}\"");
        var address = value[(separator + 1)..];
        var bare = address.Length > 2 && address[0] == '[' && address[^1] == ']' ? address[1..^1] : address;
        if (address != "host-gateway" && !global::System.Net.IPAddress.TryParse(bare, out _))
            throw new FormatException($"invalid IP address in add-host: \"{bare}\"");
        return host + ":" + (address == "host-gateway" ? address : bare);
    }
}
