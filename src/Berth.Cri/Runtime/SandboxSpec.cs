using Berth.Cri.V1;
using Berth.Engine.Containers.Logs;
using Berth.Engine.Containers.Model;
using EngineConfig = Berth.Engine.Containers.Model.ContainerConfig;

namespace Berth.Cri.Runtime;

/// <summary>
/// A pod's infra container as the engine creates it: berth-runtime's <c>infra</c> process in the pod's network, IPC
/// and UTS namespaces (the host's with <c>NODE</c> networking), with the pod's hostname and DNS configuration, and a
/// shareable /dev/shm its containers join.
/// </summary>
internal static class SandboxSpec
{
    /// <summary>kubelet's and dockershim's naming, unique per pod and attempt.</summary>
    public static string NameOf(PodSandboxMetadata metadata) =>
        $"k8s_POD_{metadata.Name}_{metadata.Namespace}_{metadata.Uid}_{metadata.Attempt}";

    public static (EngineConfig Config, HostConfig Host) Of(PodSandboxConfig pod, string runtimePath, Func<string, bool> exists)
    {
        var options = pod.Linux?.SecurityContext?.NamespaceOptions ?? new NamespaceOption();
        var hostNetwork = options.Network == NamespaceMode.Node;
        var config = new EngineConfig
        {
            Image = InfraImage.Reference,
            Hostname = hostNetwork || pod.Hostname.Length == 0 ? null : pod.Hostname,
            Entrypoint = [InfraImage.BinaryPath, "infra"],
            Labels = CriLabels.Of(CriLabels.SandboxKind, pod),
        };
        List<string> binds = [$"{runtimePath}:{InfraImage.BinaryPath}:ro"];
        binds.AddRange(InfraImage.LibraryDirectories.Where(exists).Select(dir => $"{dir}:{dir}:ro"));
        var host = new HostConfig
        {
            NetworkMode = hostNetwork ? "host" : "none",
            UtsMode = hostNetwork ? "host" : "",
            IpcMode = options.Ipc == NamespaceMode.Node ? "host" : IpcModes.Shareable,
            PidMode = options.Pid == NamespaceMode.Node ? "host" : "",
            Dns = [.. pod.DnsConfig?.Servers ?? []],
            DnsSearch = [.. pod.DnsConfig?.Searches ?? []],
            DnsOptions = [.. pod.DnsConfig?.Options ?? []],
            Sysctls = pod.Linux?.Sysctls.ToDictionary() ?? [],
            Binds = binds,
            LogConfig = new LogConfig(LogDrivers.None, new Dictionary<string, string>()),
        };
        return (config, host);
    }
}
