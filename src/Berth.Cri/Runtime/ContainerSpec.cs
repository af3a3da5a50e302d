using System.Globalization;
using Berth.Cri.V1;
using Berth.Engine.Containers.Logs;
using Berth.Engine.Containers.Model;
using EngineConfig = Berth.Engine.Containers.Model.ContainerConfig;
using CriConfig = Berth.Cri.V1.ContainerConfig;
using CriMount = Berth.Cri.V1.Mount;

namespace Berth.Cri.Runtime;

/// <summary>
/// A CRI container as the engine creates it: joining its pod's network and IPC namespaces (and PID namespace in
/// <c>POD</c> mode) through the engine's <c>container:&lt;id&gt;</c> modes, with kubelet's command, environment, mounts
/// and security context, and its output in the CRI's log format at the sandbox's log directory.
/// </summary>
internal static class ContainerSpec
{
    public static string NameOf(ContainerMetadata container, PodSandboxMetadata pod) =>
        $"k8s_{container.Name}_{pod.Name}_{pod.Namespace}_{pod.Uid}_{container.Attempt}";

    /// <summary>The log file kubelet asked for: the sandbox's log directory joined with the container's log path; none without one.</summary>
    public static string? LogPathOf(CriConfig container, PodSandboxConfig pod) =>
        container.LogPath.Length == 0 ? null : Path.GetFullPath(Path.Combine(pod.LogDirectory.Length > 0 ? pod.LogDirectory : "/", container.LogPath));

    public static (EngineConfig Config, HostConfig Host) Of(CriConfig container, string sandboxId, PodSandboxConfig pod)
    {
        var podNamespaces = pod.Linux?.SecurityContext?.NamespaceOptions ?? new NamespaceOption();
        var security = container.Linux?.SecurityContext ?? new LinuxContainerSecurityContext();
        var namespaces = security.NamespaceOptions ?? podNamespaces;
        var donor = "container:" + sandboxId;
        var hostNetwork = podNamespaces.Network == NamespaceMode.Node;
        var config = new EngineConfig
        {
            Image = container.Image?.Image ?? "",
            Hostname = hostNetwork || pod.Hostname.Length == 0 ? null : pod.Hostname,
            User = SecuritySpec.UserOf(security),
            Tty = container.Tty,
            OpenStdin = container.Stdin,
            StdinOnce = container.StdinOnce,
            Env = [.. container.Envs.Select(e => e.Key + "=" + e.Value)],
            Entrypoint = container.Command.Count > 0 ? [.. container.Command] : null,
            Cmd = container.Args.Count > 0 ? [.. container.Args] : null,
            WorkingDir = container.WorkingDir.Length > 0 ? container.WorkingDir : null,
            Labels = CriLabels.Of(CriLabels.ContainerKind, container, sandboxId),
        };
        var resources = container.Linux?.Resources ?? new LinuxContainerResources();
        var log = LogPathOf(container, pod);
        var host = new HostConfig
        {
            NetworkMode = hostNetwork ? "host" : donor,
            UtsMode = hostNetwork ? "host" : "",
            IpcMode = podNamespaces.Ipc == NamespaceMode.Node ? IpcModes.Host : donor,
            PidMode = namespaces.Pid switch { NamespaceMode.Node => "host", NamespaceMode.Pod => donor, _ => "" },
            Privileged = security.Privileged,
            ReadonlyRootfs = security.ReadonlyRootfs,
            CapAdd = [.. security.Capabilities?.AddCapabilities ?? []],
            CapDrop = [.. security.Capabilities?.DropCapabilities ?? []],
            GroupAdd = [.. security.SupplementalGroups.Select(g => g.ToString(CultureInfo.InvariantCulture))],
            SecurityOpt = SecuritySpec.OptionsOf(security),
            MaskedPaths = SecuritySpec.PathsOr(security.MaskedPaths),
            ReadonlyPaths = SecuritySpec.PathsOr(security.ReadonlyPaths),
            Binds = [.. container.Mounts.Select(BindOf)],
            OomScoreAdj = OomScore.Restrict(resources.OomScoreAdj),
            Resources = ResourcesOf(resources),
            LogConfig = log is null
                ? new LogConfig(LogDrivers.None, new Dictionary<string, string>())
                : new LogConfig(LogDrivers.Cri, new Dictionary<string, string> { ["path"] = log }),
        };
        return (config, host);
    }

    /// <summary>kubelet's limits as Docker's: 0 and empty mean unset, as both APIs take them.</summary>
    public static Resources ResourcesOf(LinuxContainerResources resources) => new()
    {
        Memory = resources.MemoryLimitInBytes,
        CpuShares = resources.CpuShares,
        CpuQuota = resources.CpuQuota,
        CpuPeriod = resources.CpuPeriod,
        CpusetCpus = resources.CpusetCpus.Length > 0 ? resources.CpusetCpus : null,
        CpusetMems = resources.CpusetMems.Length > 0 ? resources.CpusetMems : null,
    };

    /// <summary>Docker's bind syntax: <c>host:container[:ro][,rslave|,rshared]</c>.</summary>
    internal static string BindOf(CriMount mount)
    {
        var options = new List<string>();
        if (mount.Readonly) options.Add("ro");
        if (mount.Propagation == MountPropagation.PropagationHostToContainer) options.Add("rslave");
        else if (mount.Propagation == MountPropagation.PropagationBidirectional) options.Add("rshared");
        var bind = mount.HostPath + ":" + mount.ContainerPath;
        return options.Count == 0 ? bind : bind + ":" + string.Join(',', options);
    }
}
