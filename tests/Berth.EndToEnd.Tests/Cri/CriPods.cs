using System.Text;
using Berth.Cri.V1;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>Pods and busybox containers made through a daemon's CRI, as the CRI tests need them.</summary>
internal static class CriPods
{
    public static PodSandboxConfig Pod(CriDaemon daemon, string name) => new()
    {
        Metadata = new PodSandboxMetadata { Name = name, Namespace = "e2e", Uid = Guid.NewGuid().ToString("N") },
        Hostname = name,
        LogDirectory = Path.Combine(daemon.Directory, "pods", name),
    };

    /// <summary>Runs the pod and a started container in it with <paramref name="configure"/> applied; the container's id.</summary>
    public static async Task<(string Sandbox, string Container)> RunAsync(CriDaemon daemon, PodSandboxConfig pod, string script,
        Action<ContainerConfig>? configure = null)
    {
        var sandbox = (await daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "app" },
            Image = new ImageSpec { Image = "busybox" },
            Command = { "sh", "-c", script },
            LogPath = "app.log",
            Linux = new LinuxContainerConfig { SecurityContext = new LinuxContainerSecurityContext() },
        };
        configure?.Invoke(config);
        var id = (await daemon.Runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = sandbox, SandboxConfig = pod, Config = config })).ContainerId;
        await daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        return (sandbox, id);
    }

    public static async Task<ExecSyncResponse> ExecAsync(CriDaemon daemon, string id, params string[] command) =>
        await daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { command }, Timeout = 30 });

    /// <summary>The file's text once it contains <paramref name="expected"/> (bounded wait: the shim writes as output arrives).</summary>
    public static async Task<string> WaitForTextAsync(string path, string expected)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(path) && File.ReadAllText(path, Encoding.UTF8) is { } text && text.Contains(expected, StringComparison.Ordinal)) return text;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{path} did not get \"{expected}\": " + (File.Exists(path) ? File.ReadAllText(path) : "no file"));
    }
}
