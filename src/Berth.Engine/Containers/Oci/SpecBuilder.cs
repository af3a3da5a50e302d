using Berth.Oci.Runtime;
using OciLinux = Berth.Oci.Runtime.Linux;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// Turns a container's Config and HostConfig (and its image's config) into the OCI runtime spec, with Docker's
/// defaults and rules (moby <c>daemon/oci_linux.go createSpec</c>): process, user, capabilities, seccomp, mounts,
/// masked paths, devices, namespaces, sysctls and resource limits. A rule the config breaks is an InvalidArgument
/// <see cref="EngineException"/> with Docker's message. Reads only the rootfs's /etc/passwd and /etc/group.
/// </summary>
public static partial class SpecBuilder
{
    public static readonly IReadOnlyList<string> DefaultMaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/sched_debug",
        "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware",
    ];

    public static readonly IReadOnlyList<string> DefaultReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>The PID or UTS mode that shares the host's namespace.</summary>
    public const string HostMode = "host";

    /// <summary>The cgroup namespace modes: the host's, or one of the container's own.</summary>
    public const string CgroupnsHost = "host";
    public const string CgroupnsPrivate = "private";

    /// <summary>The cgroup Berth's containers are made under, unless <c>--cgroup-parent</c> names another.</summary>
    public const string DefaultCgroupParent = "/berth";

    /// <summary>The runtime's cgroupsPath: <c>&lt;parent&gt;/&lt;id&gt;</c>, as moby joins them for the cgroupfs driver.</summary>
    public static string CgroupsPathOf(Model.HostConfig host, string id) =>
        (host.CgroupParent.Length == 0 ? DefaultCgroupParent : host.CgroupParent).TrimEnd('/') + "/" + id;

    /// <summary>The rules Docker checks when a container is created (<see cref="Build"/> checks them too); returns
    /// Docker's warnings for what the host cannot apply and the spec leaves out.</summary>
    public static IReadOnlyList<string> Validate(SpecInput input)
    {
        var host = input.HostConfig;
        var warnings = new List<string>();
        ResourceLimits.Validate(UnsupportedResources.Discard(host.Resources, input.Host.Cgroups, warnings), input.Host.Cpus);
        if (host.ShmSize < 0) throw new EngineException(ErrorKind.InvalidArgument, "SHM size can not be less than 0");
        if (host.UtsMode == HostMode && !string.IsNullOrEmpty(input.Config.Hostname))
            throw new EngineException(ErrorKind.InvalidArgument, "conflicting options: hostname and the UTS mode");
        if (host.OomScoreAdj is < -1000 or > 1000)
            throw new EngineException(ErrorKind.InvalidArgument, $"Invalid value {host.OomScoreAdj}, range for oom score adj is [-1000, 1000]");
        ContainerProcess.WorkingDir(input.Config, input.Image);
        ContainerProcess.Args(input.Config, input.Image);
        SecurityOptions.Parse(host.SecurityOpt, input.Host);
        if (!Model.IpcModes.IsValid(host.IpcMode)) throw new EngineException(ErrorKind.InvalidArgument, $"invalid IPC mode: {host.IpcMode}");
        if (!Model.PidModes.IsValid(host.PidMode)) throw new EngineException(ErrorKind.InvalidArgument, $"invalid PID mode: {host.PidMode}");
        if (host.CgroupnsMode is not ("" or CgroupnsHost or CgroupnsPrivate))
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid cgroup namespace mode: {host.CgroupnsMode}");
        foreach (var rule in host.DeviceCgroupRules) CustomDevices.ParseRule(rule);
        Sysctls.Validate(host.Sysctls, NetworkMode.Parse(host.NetworkMode).IsHost);
        foreach (var destination in host.Tmpfs.Keys) ValidateTmpfsDestination(destination);
        foreach (var data in host.Tmpfs.Values) TmpfsOptions.For(data);
        DockerCapabilities.Resolve(host.CapAdd, host.CapDrop, host.Privileged, input.Host.LastCapability);
        return warnings;
    }

    public static Spec Build(SpecInput input)
    {
        Validate(input);
        var config = input.Config;
        var host = input.HostConfig;
        var network = NetworkMode.Parse(host.NetworkMode);
        var security = SecurityOptions.Parse(host.SecurityOpt, input.Host);
        var (devices, deviceRules) = CustomDevices.For(host, input.Host);
        var hostname = input.Hostname ?? ContainerHostname.Of(input.ContainerId, config, host, input.Host.Hostname);
        var capabilities = DockerCapabilities.Resolve(host.CapAdd, host.CapDrop, host.Privileged, input.Host.LastCapability);

        var spec = new Spec
        {
            Root = new Root { Path = input.RootfsPath, Readonly = host.ReadonlyRootfs },
            Hostname = host.UtsMode == HostMode ? null : hostname, // the host's own, which the container must not change
            Annotations = host.Annotations.Count == 0 ? null : new Dictionary<string, string>(host.Annotations),
            Process = new Process
            {
                Terminal = config.Tty,
                ConsoleSize = config.Tty && host.ConsoleSize is { } size ? new Box { Height = size.Height, Width = size.Width } : null,
                User = UserResolver.Resolve(input.RootfsPath, ContainerProcess.User(config, input.Image), host.GroupAdd),
                Args = Args(input),
                Env = ContainerProcess.Env(config, input.Image, hostname),
                Cwd = ContainerProcess.WorkingDir(config, input.Image),
                // Docker leaves inheritable and ambient empty: a non-root user keeps capabilities only through file caps.
                Capabilities = new LinuxCapabilities { Bounding = [.. capabilities], Effective = [.. capabilities], Permitted = [.. capabilities] },
                Rlimits = Ulimits.ToRlimits(host.Resources.Ulimits),
                NoNewPrivileges = security.NoNewPrivileges,
                OomScoreAdj = host.OomScoreAdj,
            },
            Mounts = Mounts(input, security),
            Linux = new OciLinux
            {
                // A shared bind (the CRI's bidirectional) propagates back only if the container's mounts stay peers of the host's, as Docker sets it.
                RootfsPropagation = input.Mounts.Any(m => m.Propagation is "shared" or "rshared") ? "rshared" : null,
                CgroupsPath = input.CgroupsPath,
                Resources = ResourceLimits.ToOci(UnsupportedResources.Discard(host.Resources, input.Host.Cgroups, []), input.Host.DeviceNumber),
                Sysctl = SysctlsFor(input, network),
                Namespaces = Namespaces(input, network),
                Devices = host.Privileged ? [.. input.Host.Devices(), .. devices] : devices,
                MaskedPaths = host.Privileged ? null : [.. host.MaskedPaths ?? [.. DefaultMaskedPaths, .. input.Host.ExtraMaskedPaths]],
                ReadonlyPaths = host.Privileged ? null : [.. host.ReadonlyPaths ?? DefaultReadonlyPaths],
                Seccomp = Seccomp(security, host.Privileged, capabilities, input.Host),
            },
        };
        spec.Linux.Resources.Devices = host.Privileged ? DeviceRules.AllowAll() : [.. DeviceRules.Default(), .. deviceRules];
        return spec;
    }

    /// <summary>The command, behind the init binary for <c>--init</c> (tini's <c>--</c> ends its own options).</summary>
    private static List<string> Args(SpecInput input)
    {
        var args = ContainerProcess.Args(input.Config, input.Image);
        return input.HostConfig.Init ? [InitPathInContainer, "--", .. args] : args;
    }

    /// <summary>
    /// Docker's sysctls: with a network namespace of its own a container may ping and bind low ports unprivileged;
    /// the domain name is a sysctl; the container's own values come last and win.
    /// </summary>
    private static Dictionary<string, string> SysctlsFor(SpecInput input, NetworkMode network)
    {
        var sysctls = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(input.Config.Domainname)) sysctls["kernel.domainname"] = input.Config.Domainname;
        if (network.IsPrivate)
        {
            if (input.Host.SysctlExists("net.ipv4.ping_group_range")) sysctls["net.ipv4.ping_group_range"] = "0 2147483647";
            if (input.Host.SysctlExists("net.ipv4.ip_unprivileged_port_start")) sysctls["net.ipv4.ip_unprivileged_port_start"] = "0";
        }
        foreach (var (key, value) in input.HostConfig.Sysctls) sysctls[key] = value;
        return sysctls;
    }

    /// <summary>
    /// Docker's order: mount, network, uts, pid, ipc, then cgroup. Host networking has no network namespace of its own,
    /// <c>container:</c> joins the other's, <c>none</c> (or a disabled network) gets its own with only lo: the one the
    /// engine made, by its path, or a new one. IPC: none for <c>host</c>, the other's for <c>container:</c>, else a new
    /// one. Cgroup: a new one when private (Docker's default only on a cgroup v2 host).
    /// </summary>
    private static List<LinuxNamespace> Namespaces(SpecInput input, NetworkMode network)
    {
        var namespaces = new List<LinuxNamespace> { new() { Type = NamespaceTypes.Mount } };
        if (input.Config.NetworkDisabled || network.IsPrivate)
        {
            namespaces.Add(new LinuxNamespace { Type = NamespaceTypes.Network, Path = input.NetworkNamespacePath });
        }
        else if (network.IsContainer)
        {
            var path = input.NetworkNamespacePath
                ?? throw new EngineException(ErrorKind.InvalidArgument, $"network mode {network.Value} needs the path of that container's network namespace");
            namespaces.Add(new LinuxNamespace { Type = NamespaceTypes.Network, Path = path });
        }
        if (input.HostConfig.UtsMode != HostMode) namespaces.Add(new LinuxNamespace { Type = NamespaceTypes.Uts });
        AddShareable(namespaces, NamespaceTypes.Pid, input.HostConfig.PidMode, input.PidNamespacePath);
        AddShareable(namespaces, NamespaceTypes.Ipc, input.HostConfig.IpcMode, input.IpcNamespacePath);
        var cgroupns = input.HostConfig.CgroupnsMode;
        if (cgroupns == CgroupnsPrivate || (cgroupns.Length == 0 && input.Host.UnifiedCgroups))
            namespaces.Add(new LinuxNamespace { Type = NamespaceTypes.Cgroup });
        return namespaces;
    }

    /// <summary>A namespace of its own, the host's (none in the spec), or another container's at <paramref name="donorPath"/>.</summary>
    private static void AddShareable(List<LinuxNamespace> namespaces, string type, string mode, string? donorPath)
    {
        if (mode == HostMode) return;
        if (Model.ContainerModes.DonorOf(mode) is null)
        {
            namespaces.Add(new LinuxNamespace { Type = type });
            return;
        }
        var path = donorPath ?? throw new EngineException(ErrorKind.InvalidArgument, $"{type} mode {mode} needs the path of that container's namespace");
        namespaces.Add(new LinuxNamespace { Type = type, Path = path });
    }

    /// <summary>
    /// No filter for <c>seccomp=unconfined</c>, nor for a privileged container unless it names a profile; otherwise the
    /// named profile or Docker's default, resolved for the container's capabilities.
    /// </summary>
    private static LinuxSeccomp? Seccomp(SecurityOptions security, bool privileged, IReadOnlyCollection<string> capabilities, SpecHost host)
    {
        var profile = security.SeccompProfile;
        if (profile == SecurityOptions.Unconfined) return null;
        if (privileged && (profile is null or SecurityOptions.SeccompDefault)) return null;
        var source = profile is null or SecurityOptions.SeccompDefault ? DefaultSeccompProfile.Profile : DockerSeccompProfileJson.Parse(profile);
        return source.Render(capabilities, host.Architecture, host.Kernel);
    }
}
