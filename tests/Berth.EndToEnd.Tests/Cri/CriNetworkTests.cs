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

    [PrivilegedFact]
    public async Task A_host_port_reaches_the_pod_through_portmap_and_its_rules_go_with_the_pod()
    {
        var hostPort = DaemonProcess.FreePort();
        var pod = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "ports", Namespace = "e2e", Uid = "ports-uid" },
            LogDirectory = Path.Combine(_daemon.Directory, "pods", "ports"),
            PortMappings = { new PortMapping { ContainerPort = 80, HostPort = hostPort } },
        };
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var id = (await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox, SandboxConfig = pod,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "web" }, Image = new ImageSpec { Image = "busybox" },
                Command = { "sh", "-c", "mkdir /www && echo hello-port > /www/index.html && exec httpd -f -p 80 -h /www" },
            },
        })).ContainerId;
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });

        Assert.Equal("hello-port\n", await GetAsync($"http://127.0.0.1:{hostPort}/"));
        Assert.Contains(sandbox, Commands.Run("iptables", ["-t", "nat", "-S"]).Output);

        await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });
        Assert.DoesNotContain(sandbox, Commands.Run("iptables", ["-t", "nat", "-S"]).Output);
    }

    /// <summary>The body at <paramref name="url"/> once the server answers (bounded: the container starts httpd).</summary>
    private static async Task<string> GetAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync(url);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }
}
