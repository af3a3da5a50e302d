using System.Globalization;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

internal sealed partial class ContainerOptions
{
    /// <summary>
    /// The create body for <c>IMAGE [COMMAND] [ARG...]</c> in <paramref name="args"/>, by docker's rules
    /// (<c>opts.go</c> <c>parse</c>): attach stdout/stderr unless <c>-a</c> says otherwise, <c>-i</c> attaches stdin,
    /// env files before <c>-e</c>, <c>--entrypoint ""</c> resets the image's entrypoint.
    /// </summary>
    /// <exception cref="InvalidOptionsException">A combination docker refuses; run/create report it with exit 125.</exception>
    public ContainerCreateRequest ToRequest(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var attach = Attach.Select(a => a.ToLowerInvariant()).ToList();
        if (attach.FirstOrDefault(a => a is not ("stdin" or "stdout" or "stderr")) is { } bad)
            throw new InvalidOptionsException($"invalid argument \"{bad}\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
        ValidateNamespaceModes();
        var request = new ContainerCreateRequest
        {
            Image = args[0],
            Cmd = args.Count > 1 ? args.Skip(1).ToList() : null,
            Hostname = Hostname,
            Domainname = Domainname,
            User = User,
            WorkingDir = WorkingDir,
            Tty = Tty,
            OpenStdin = Interactive,
            AttachStdin = Interactive || attach.Contains("stdin"),
            AttachStdout = attach.Count == 0 || attach.Contains("stdout"),
            AttachStderr = attach.Count == 0 || attach.Contains("stderr"),
            Env = ReadEnv(environment),
            Labels = ReadLabels(),
            Entrypoint = Entrypoint.Length > 0 ? [Entrypoint] : Changed("entrypoint") ? [""] : null,
            StopSignal = StopSignal.Length > 0 ? StopSignal : null,
            StopTimeout = Changed("stop-timeout") ? StopTimeout : null,
            Healthcheck = Health(),
            HostConfig = HostConfig(),
        };
        ApplyNetworking(request);
        ApplyPorts(request);
        ApplyVolumes(request);
        ApplyDeviceFlags(request.HostConfig);
        ApplyPassThroughFlags(request.HostConfig);
        return request;
    }

    /// <summary>
    /// The modes docker's CLI checks itself before any request (its <c>parse</c>, by the API types' <c>Valid</c>);
    /// IPC modes are left to the daemon, as docker does.
    /// </summary>
    private void ValidateNamespaceModes()
    {
        static bool IsContainer(string mode) =>
            mode.StartsWith("container:", StringComparison.Ordinal) && mode.Length > "container:".Length;
        if (PidMode is not ("" or "host") && !IsContainer(PidMode))
            throw new InvalidOptionsException("--pid: invalid PID mode");
        if (UtsMode is not ("" or "host"))
            throw new InvalidOptionsException("--uts: invalid UTS mode");
        if (UsernsMode is not ("" or "host"))
            throw new InvalidOptionsException("--userns: invalid USER mode");
        if (CgroupnsMode is not ("" or "host" or "private"))
            throw new InvalidOptionsException("--cgroupns: invalid CGROUP mode");
    }

    private List<string> ReadEnv(Func<string, string?> environment)
    {
        var env = new List<string>();
        try
        {
            foreach (var file in EnvFiles)
                env.AddRange(ValueParsers.ReadKeyValueFile(file, environment));
            env.AddRange(Env.Select(e => ValueParsers.Env(e, environment)));
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new InvalidOptionsException(e.Message);
        }
        return env;
    }

    private Dictionary<string, string> ReadLabels()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in LabelFiles.SelectMany(f => ValueParsers.ReadKeyValueFile(f, null)).Concat(Labels))
            {
                var eq = entry.IndexOf('=');
                labels[eq >= 0 ? entry[..eq] : entry] = eq >= 0 ? entry[(eq + 1)..] : "";
            }
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new InvalidOptionsException(e.Message);
        }
        return labels;
    }

    private HealthConfig? Health()
    {
        var any = HealthCmd.Length > 0 || HealthInterval != 0 || HealthTimeout != 0 || HealthStartPeriod != 0 || HealthRetries != 0 || HealthStartInterval != 0;
        if (NoHealthcheck)
        {
            if (any)
                throw new InvalidOptionsException("--no-healthcheck conflicts with --health-* options");
            return new HealthConfig { Test = ["NONE"] };
        }
        if (!any)
            return null;
        if (HealthInterval < 0)
            throw new InvalidOptionsException("--health-interval cannot be negative");
        if (HealthTimeout < 0)
            throw new InvalidOptionsException("--health-timeout cannot be negative");
        if (HealthRetries < 0)
            throw new InvalidOptionsException("--health-retries cannot be negative");
        if (HealthStartPeriod < 0)
            throw new InvalidOptionsException("--health-start-period cannot be negative");
        if (HealthStartInterval < 0)
            throw new InvalidOptionsException("--health-start-interval cannot be negative");
        return new HealthConfig
        {
            Test = HealthCmd.Length > 0 ? ["CMD-SHELL", HealthCmd] : null,
            Interval = HealthInterval,
            Timeout = HealthTimeout,
            StartPeriod = HealthStartPeriod,
            StartInterval = HealthStartInterval,
            Retries = HealthRetries,
        };
    }

    private HostConfig HostConfig()
    {
        (string Name, int Count) restart;
        try
        {
            restart = ValueParsers.RestartPolicy(Restart);
        }
        catch (FormatException e)
        {
            throw new InvalidOptionsException(e.Message);
        }
        if (AutoRemove && restart.Name != "no")
            throw new InvalidOptionsException("conflicting options: cannot specify both --restart and --rm");
        return new HostConfig
        {
            AutoRemove = AutoRemove,
            RestartPolicy = new RestartPolicy { Name = restart.Name, MaximumRetryCount = restart.Count },
            Privileged = Privileged,
            ReadonlyRootfs = ReadOnly,
            Init = Changed("init") ? Init : null,
            CapAdd = CapAdd.Count > 0 ? [.. CapAdd] : null,
            CapDrop = CapDrop.Count > 0 ? [.. CapDrop] : null,
            SecurityOpt = SecurityOpt.Count > 0 ? SecurityOptions() : null,
            Tmpfs = Tmpfs.Count > 0 ? Tmpfs.ToDictionary(t => t.Split(':', 2)[0], t => t.Contains(':') ? t.Split(':', 2)[1] : "") : null,
            ShmSize = ShmSize,
            Memory = Memory,
            MemorySwap = MemorySwap,
            MemoryReservation = MemoryReservation,
            MemorySwappiness = Changed("memory-swappiness") ? MemorySwappiness : null,
            OomKillDisable = Changed("oom-kill-disable") ? OomKillDisable : null,
            OomScoreAdj = OomScoreAdj,
            NanoCpus = NanoCpus,
            CpuShares = CpuShares,
            CpusetCpus = CpusetCpus,
            CpusetMems = CpusetMems,
            CpuPeriod = CpuPeriod,
            CpuQuota = CpuQuota,
            PidsLimit = Changed("pids-limit") ? PidsLimit : null,
            Ulimits = Ulimits.Count > 0 ? Ulimits.Select(u => new Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard }).ToList() : null,
            ExtraHosts = AddHosts.Count > 0 ? [.. AddHosts] : null,
            Dns = Dns.Count > 0 ? [.. Dns] : null,
            DnsSearch = DnsSearch.Count > 0 ? [.. DnsSearch] : null,
            DnsOptions = DnsOptions.Count > 0 ? [.. DnsOptions] : null,
            IpcMode = IpcMode,
            PidMode = PidMode,
            UTSMode = UtsMode,
            UsernsMode = UsernsMode,
            CgroupnsMode = CgroupnsMode,
            CgroupParent = CgroupParent,
            LogConfig = new LogConfig { Type = LogDriver, Config = LogOpts.Count > 0 ? KeyValues(LogOpts) : null },
            Sysctls = Sysctls.Count > 0 ? KeyValues(Sysctls) : null,
            Runtime = Runtime.Length > 0 ? Runtime : null,
            GroupAdd = GroupAdd.Count > 0 ? [.. GroupAdd] : null,
            Devices = Devices.Count > 0 ? Devices.Select(DeviceMapping).ToList() : null,
            VolumesFrom = VolumesFrom.Count > 0 ? [.. VolumesFrom] : null,
            Mounts = Mounts.Count > 0 ? [.. Mounts] : null,
            PublishAllPorts = PublishAll,
            ContainerIDFile = ContainerIdFile,
        };
    }

    /// <summary><c>seccomp=profile.json</c> is sent inline, as docker does; other options pass through.</summary>
    private List<string> SecurityOptions() => SecurityOpt.Select(option =>
    {
        var eq = option.IndexOf('=');
        if (eq < 0 || option[..eq] != "seccomp" || option[(eq + 1)..] == "unconfined")
            return option;
        try
        {
            return "seccomp=" + File.ReadAllText(option[(eq + 1)..]);
        }
        catch (IOException e)
        {
            throw new InvalidOptionsException($"opening seccomp profile ({option[(eq + 1)..]}) failed: {e.Message}");
        }
    }).ToList();

    private static Dictionary<string, string> KeyValues(IEnumerable<string> entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0)
                throw new InvalidOptionsException($"invalid key/value: {entry}");
            map[entry[..eq]] = entry[(eq + 1)..];
        }
        return map;
    }

    private static DeviceMapping DeviceMapping(string spec)
    {
        var parts = spec.Split(':');
        return new DeviceMapping
        {
            PathOnHost = parts[0],
            PathInContainer = parts.Length > 1 && parts[1].StartsWith('/') ? parts[1] : parts[0],
            CgroupPermissions = parts.Length > 2 ? parts[2] : parts.Length == 2 && !parts[1].StartsWith('/') ? parts[1] : "rwm",
        };
    }

    /// <summary><c>-v /data</c> is an anonymous volume (<c>Volumes</c>); <c>-v src:dst[:opts]</c> is a bind (<c>Binds</c>).</summary>
    private void ApplyVolumes(ContainerCreateRequest request)
    {
        foreach (var volume in Volumes)
        {
            if (!volume.Contains(':'))
            {
                (request.Volumes ??= [])[volume] = new EmptyObject();
                continue;
            }
            // docker makes a relative host path that starts with '.' absolute; a name stays a volume name.
            var colon = volume.IndexOf(':');
            var host = volume[..colon];
            var bind = host.StartsWith('.') ? Path.GetFullPath(host) + volume[colon..] : volume;
            (request.HostConfig!.Binds ??= []).Add(bind);
        }
    }

    /// <summary><c>-p [ip:][hostPort:]containerPort[/proto]</c> with ranges, and <c>--expose</c>.</summary>
    private void ApplyPorts(ContainerCreateRequest request)
    {
        var exposed = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        var bindings = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var spec in Publish)
        {
            var (ip, hostPorts, containerPorts, proto) = SplitPortSpec(spec);
            for (var i = 0; i < containerPorts.Count; i++)
            {
                var key = $"{containerPorts[i]}/{proto}";
                exposed[key] = new EmptyObject();
                var hostPort = hostPorts.Count == 0 ? "" : hostPorts.Count == 1 && containerPorts.Count > 1 ? hostPorts[0] : hostPorts[i];
                if (!bindings.TryGetValue(key, out var list) || list is null)
                    bindings[key] = list = [];
                list.Add(new PortBinding { HostIp = ip, HostPort = hostPort });
            }
        }
        foreach (var spec in Expose)
        {
            var slash = spec.IndexOf('/');
            var proto = slash >= 0 ? spec[(slash + 1)..] : "tcp";
            foreach (var port in Range(slash >= 0 ? spec[..slash] : spec, spec))
                exposed[$"{port}/{proto}"] = new EmptyObject();
        }
        if (exposed.Count > 0)
            request.ExposedPorts = exposed;
        if (bindings.Count > 0)
            request.HostConfig!.PortBindings = bindings;
    }

    private static (string Ip, List<string> HostPorts, List<string> ContainerPorts, string Proto) SplitPortSpec(string spec)
    {
        var proto = "tcp";
        var rest = spec;
        var slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            proto = rest[(slash + 1)..].ToLowerInvariant();
            rest = rest[..slash];
            if (proto is not ("tcp" or "udp" or "sctp"))
                throw new InvalidOptionsException($"invalid proto: {proto}");
        }
        var ip = "";
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
                throw new InvalidOptionsException($"invalid IP address: {spec}");
            ip = rest[1..close];
            rest = rest[(close + 1)..].TrimStart(':');
        }
        var parts = rest.Split(':');
        string host = "", container;
        switch (parts.Length)
        {
            case 1:
                container = parts[0];
                break;
            case 2:
                (host, container) = (parts[0], parts[1]);
                break;
            case 3 when ip.Length == 0:
                (ip, host, container) = (parts[0], parts[1], parts[2]);
                break;
            default:
                throw new InvalidOptionsException($"invalid port format for --publish: {spec}");
        }
        if (container.Length == 0)
            throw new InvalidOptionsException($"no port specified: {spec}<empty>");
        var containerPorts = Range(container, spec);
        var hostPorts = host.Length == 0 ? [] : Range(host, spec);
        if (hostPorts.Count > 1 && hostPorts.Count != containerPorts.Count)
            throw new InvalidOptionsException($"invalid ranges specified for container and host Ports: {container} and {host}");
        return (ip, hostPorts, containerPorts, proto);
    }

    private static List<string> Range(string text, string spec)
    {
        var dash = text.IndexOf('-');
        var first = dash >= 0 ? text[..dash] : text;
        var last = dash >= 0 ? text[(dash + 1)..] : text;
        if (!ushort.TryParse(first, CultureInfo.InvariantCulture, out var start) || !ushort.TryParse(last, CultureInfo.InvariantCulture, out var end) || end < start)
            throw new InvalidOptionsException($"invalid containerPort: {text}");
        return Enumerable.Range(start, end - start + 1).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
    }
}

/// <summary>Flags that parse but do not make a valid container; <c>run</c>/<c>create</c> exit 125.</summary>
internal sealed class InvalidOptionsException(string message) : Exception(message);
