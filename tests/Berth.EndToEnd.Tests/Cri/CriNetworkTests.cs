using Berth.Cri.V1;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>Pod networking through CNI: the pod's address comes from the plugins, its containers have it, and removal frees it.</summary>
public sealed class CriNetworkTests : IClassFixture<CniDaemon>
{
    private readonly CniDaemon _daemon;

    public CriNetworkTests(CniDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task A_pod_gets_its_address_from_the_CNI_chain_and_gives_it_back_when_removed()
    {
        var status = await _daemon.Runtime.StatusAsync(new StatusRequest());
        Assert.Contains(status.Status.Conditions, c => c.Type == "NetworkReady" && c.Status);
        var pod = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "net", Namespace = "e2e", Uid = "net-uid" },
            Hostname = "net",
            LogDirectory = Path.Combine(_daemon.Directory, "pods", "net"),
        };
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var ip = (await _daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status.Network.Ip;
        Assert.StartsWith("10.203.77.", ip);
        var id = (await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox, SandboxConfig = pod,
            Config = new ContainerConfig { Metadata = new ContainerMetadata { Name = "app" }, Image = new ImageSpec { Image = "busybox" }, Command = { "sleep", "1000" } },
        })).ContainerId;
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });

        var addresses = await _daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { "ip", "-4", "addr", "show", "eth0" }, Timeout = 30 });
        Assert.Contains($"inet {ip}/24", addresses.Stdout.ToStringUtf8());
        Assert.True(File.Exists(Path.Combine(CniDaemon.IpamDirectory, "berth-test", ip)), "host-local keeps the address");

        await _daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
        await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });
        Assert.False(File.Exists(Path.Combine(CniDaemon.IpamDirectory, "berth-test", ip)), "the address is freed");
        Assert.Empty(Directory.GetFiles(Path.Combine(_daemon.DataRoot, "cri", "cni")));
    }
}
