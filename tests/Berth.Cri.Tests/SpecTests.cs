using Berth.Cri.Runtime;
using Berth.Cri.V1;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Logs;
using Berth.Engine.Containers.Model;
using CriConfig = Berth.Cri.V1.ContainerConfig;

namespace Berth.Cri.Tests;

/// <summary>How kubelet's requests become the engine's containers: the pod's infra container and its containers.</summary>
public sealed class SpecTests
{
    private static PodSandboxConfig Pod(NamespaceMode network = NamespaceMode.Pod) => new()
    {
        Metadata = new PodSandboxMetadata { Name = "web", Namespace = "default", Uid = "u1", Attempt = 2 },
        Hostname = "web-0",
        LogDirectory = "/var/log/pods/default_web_u1",
        DnsConfig = new DNSConfig { Servers = { "10.0.0.10" }, Searches = { "svc.cluster.local" }, Options = { "ndots:5" } },
        Labels = { ["app"] = "web" },
        Linux = new LinuxPodSandboxConfig
        {
            Sysctls = { ["net.ipv4.ip_unprivileged_port_start"] = "0" },
            SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Network = network } },
        },
    };

    [Fact]
    public void The_infra_container_runs_berth_runtimes_infra_with_the_pods_hostname_dns_and_a_shareable_ipc()
    {
        var (config, host) = SandboxSpec.Of(Pod(), "/usr/bin/berth-runtime", dir => dir == "/lib");

        Assert.Equal("k8s_POD_web_default_u1_2", SandboxSpec.NameOf(Pod().Metadata));
        Assert.Equal([InfraImage.BinaryPath, "infra"], config.Entrypoint);
        Assert.Equal("web-0", config.Hostname);
        Assert.Equal(["/usr/bin/berth-runtime:/.berth/berth-runtime:ro", "/lib:/lib:ro"], host.Binds);
        Assert.Equal(("none", IpcModes.Shareable, ""), (host.NetworkMode, host.IpcMode, host.PidMode));
        Assert.Equal(["10.0.0.10"], host.Dns);
        Assert.Equal(["svc.cluster.local"], host.DnsSearch);
        Assert.Equal(["ndots:5"], host.DnsOptions);
        Assert.Equal("0", host.Sysctls["net.ipv4.ip_unprivileged_port_start"]);
        Assert.Equal(LogDrivers.None, host.LogConfig.Type);
        Assert.Equal(ContainerNamespace.Kubernetes, config.Labels[ContainerNamespace.Label]);
    }

    [Fact]
    public void A_host_network_pod_shares_the_hosts_network_and_hostname()
    {
        var (config, host) = SandboxSpec.Of(Pod(NamespaceMode.Node), "/b", _ => false);

        Assert.Equal(("host", "host"), (host.NetworkMode, host.UtsMode));
        Assert.Null(config.Hostname);
    }

    [Fact]
    public void A_container_joins_its_pods_namespaces_and_logs_in_the_CRI_format_under_the_pods_log_directory()
    {
        var container = new CriConfig
        {
            Metadata = new ContainerMetadata { Name = "app", Attempt = 1 },
            Image = new ImageSpec { Image = "busybox" },
            Command = { "sh", "-c" },
            Args = { "echo hi" },
            Envs = { new KeyValue { Key = "A", Value = "1" } },
            LogPath = "app/1.log",
            Mounts = { new Mount { HostPath = "/srv", ContainerPath = "/data", Readonly = true, Propagation = MountPropagation.PropagationHostToContainer } },
            Linux = new LinuxContainerConfig
            {
                SecurityContext = new LinuxContainerSecurityContext
                {
                    RunAsUser = new Int64Value { Value = 1000 },
                    RunAsGroup = new Int64Value { Value = 100 },
                    NoNewPrivs = true,
                    NamespaceOptions = new NamespaceOption { Pid = NamespaceMode.Pod },
                },
                Resources = new LinuxContainerResources { MemoryLimitInBytes = 1 << 26, CpuShares = 512 },
            },
        };

        var (config, host) = ContainerSpec.Of(container, "abc", Pod());

        Assert.Equal("k8s_app_web_default_u1_1", ContainerSpec.NameOf(container.Metadata, Pod().Metadata));
        Assert.Equal(("container:abc", "container:abc", "container:abc"), (host.NetworkMode, host.IpcMode, host.PidMode));
        Assert.Equal(["sh", "-c"], config.Entrypoint);
        Assert.Equal(["echo hi"], config.Cmd);
        Assert.Equal(["A=1"], config.Env);
        Assert.Equal("1000:100", config.User);
        Assert.Equal(["/srv:/data:ro,rslave"], host.Binds);
        Assert.Equal(["no-new-privileges", "seccomp=unconfined"], host.SecurityOpt); // no profile asked: unconfined, as in containerd
        Assert.Equal((1L << 26, 512L), (host.Resources.Memory, host.Resources.CpuShares));
        Assert.Equal(new LogConfig(LogDrivers.Cri, new Dictionary<string, string> { ["path"] = "/var/log/pods/default_web_u1/app/1.log" }).Config,
            host.LogConfig.Config);
        Assert.Equal(LogDrivers.Cri, host.LogConfig.Type);
        Assert.Equal("abc", config.Labels[CriLabels.SandboxId]);
    }

    [Fact]
    public void Without_a_command_or_args_the_images_entrypoint_and_cmd_stay_without_a_log_path_nothing_is_logged_and_the_PID_namespace_is_the_pods()
    {
        var (config, host) = ContainerSpec.Of(new CriConfig { Metadata = new ContainerMetadata { Name = "a" } }, "abc", Pod());

        Assert.Equal((null, null), (config.Entrypoint, config.Cmd));
        Assert.Equal(LogDrivers.None, host.LogConfig.Type);
        Assert.Equal("container:abc", host.PidMode); // the CRI's default mode is POD, as in containerd
    }

    [Fact]
    public void Bidirectional_propagation_is_rshared_and_a_writable_private_mount_has_no_options()
    {
        Assert.Equal("/a:/b:rshared", ContainerSpec.BindOf(new Mount { HostPath = "/a", ContainerPath = "/b", Propagation = MountPropagation.PropagationBidirectional }));
        Assert.Equal("/a:/b", ContainerSpec.BindOf(new Mount { HostPath = "/a", ContainerPath = "/b" }));
    }
}
