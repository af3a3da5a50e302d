using System.Diagnostics;
using System.Text;
using Berth.Cri.V1;
using Berth.Testing;
using Grpc.Core;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>
/// A pod through the CRI as kubelet drives it: run the sandbox, create and start a container in it, read its CRI log,
/// exec in it, stop and remove everything twice, and find nothing of it left on the host.
/// </summary>
public sealed class CriPodTests : IClassFixture<CriDaemon>
{
    private readonly CriDaemon _daemon;

    public CriPodTests(CriDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private PodSandboxConfig Pod(string name) => new()
    {
        Metadata = new PodSandboxMetadata { Name = name, Namespace = "e2e", Uid = Guid.NewGuid().ToString("N"), Attempt = 0 },
        Hostname = name,
        LogDirectory = Path.Combine(_daemon.Directory, "pods", name),
        DnsConfig = new DNSConfig { Servers = { "10.215.99.10" }, Searches = { "cluster.test" }, Options = { "ndots:5" } },
        Labels = { ["test"] = name },
    };

    private static ContainerConfig Container(string name, params string[] script) => new()
    {
        Metadata = new ContainerMetadata { Name = name },
        Image = new ImageSpec { Image = "busybox" },
        Command = { "sh", "-c" },
        Args = { string.Join("; ", script) },
        LogPath = name + "/0.log",
    };

    [PrivilegedFact]
    public async Task A_pod_runs_a_container_whose_output_is_in_the_CRI_log_and_exec_runs_inside_it()
    {
        var pod = Pod("logs");
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var created = await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox, SandboxConfig = pod, Config = Container("app", "echo hello-cri", "echo oops >&2", "exec sleep 1000"),
        });
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId });

        var log = Path.Combine(pod.LogDirectory, "app", "0.log");
        var lines = await WaitForLinesAsync(log, 2);
        Assert.Contains(lines, l => l.EndsWith(" stdout F hello-cri", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(" stderr F oops", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(DateTimeOffset.TryParse(l.Split(' ')[0], out _), l));

        var hostname = await ExecAsync(created.ContainerId, "hostname");
        var resolv = await ExecAsync(created.ContainerId, "cat", "/etc/resolv.conf");
        var failing = await ExecAsync(created.ContainerId, "sh", "-c", "echo no >&2; exit 3");
        Assert.Equal("logs\n", hostname.Stdout.ToStringUtf8());
        Assert.Contains("nameserver 10.215.99.10\n", resolv.Stdout.ToStringUtf8());
        Assert.Contains("search cluster.test\n", resolv.Stdout.ToStringUtf8());
        Assert.Contains("options ndots:5\n", resolv.Stdout.ToStringUtf8());
        Assert.Equal((3, "no\n"), (failing.ExitCode, failing.Stderr.ToStringUtf8()));

        var status = await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = created.ContainerId });
        Assert.Equal((ContainerState.ContainerRunning, log), (status.Status.State, status.Status.LogPath));

        await _daemon.Runtime.UpdateContainerResourcesAsync(new UpdateContainerResourcesRequest
        {
            ContainerId = created.ContainerId, Linux = new LinuxContainerResources { MemoryLimitInBytes = 64 << 20 },
        });
        Assert.Equal((64 << 20).ToString(), _daemon.Docker("inspect", "-f", "{{.HostConfig.Memory}}", created.ContainerId).Ok("inspect").Output.Trim());
    }

    [PrivilegedFact]
    public async Task ExecSync_past_its_timeout_fails_and_its_process_is_killed()
    {
        var pod = Pod("timeout");
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var id = (await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox, SandboxConfig = pod, Config = Container("app", "exec sleep 1000"),
        })).ContainerId;
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(() => _daemon.Runtime.ExecSyncAsync(
            new ExecSyncRequest { ContainerId = id, Cmd = { "sleep", "60" }, Timeout = 1 }).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        var left = await ExecAsync(id, "sh", "-c", "ps | grep -c '[s]leep 60' || true");
        Assert.Equal("0\n", left.Stdout.ToStringUtf8());
    }

    [PrivilegedFact]
    public async Task Pods_and_their_containers_are_not_in_Dockers_list_and_stop_and_remove_twice_leaving_nothing()
    {
        var pod = Pod("cleanup");
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var id = (await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox, SandboxConfig = pod, Config = Container("app", "exec sleep 1000"),
        })).ContainerId;
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        var pids = new[] { sandbox, id }.Select(c => int.Parse(_daemon.Docker("inspect", "-f", "{{.State.Pid}}", c).Ok("inspect").Output.Trim())).ToList();
        var cgroups = pids.SelectMany(HostProcesses.CgroupDirectories).ToList();

        Assert.DoesNotContain(sandbox[..12], _daemon.Docker("ps", "-a", "--no-trunc").Ok("ps").Output);
        Assert.DoesNotContain(id, _daemon.Docker("ps", "-a", "--no-trunc").Ok("ps").Output);
        var listed = await _daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = new PodSandboxFilter { LabelSelector = { ["test"] = "cleanup" } } });
        Assert.Equal(PodSandboxState.SandboxReady, Assert.Single(listed.Items).State);
        var containers = await _daemon.Runtime.ListContainersAsync(new ListContainersRequest { Filter = new ContainerFilter { PodSandboxId = sandbox } });
        Assert.Equal(id, Assert.Single(containers.Containers).Id);

        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        await _daemon.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        var stopped = await _daemon.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id });
        Assert.Equal((ContainerState.ContainerExited, 137, "Error"), (stopped.Status.State, stopped.Status.ExitCode, stopped.Status.Reason));
        for (var i = 0; i < 2; i++) await _daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
        var notReady = await _daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox });
        Assert.Equal(PodSandboxState.SandboxNotready, notReady.Status.State);
        for (var i = 0; i < 2; i++) await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });
        await _daemon.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });

        var error = await Assert.ThrowsAsync<RpcException>(() => _daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Empty(HostProcesses.ShimPids(sandbox).Concat(HostProcesses.ShimPids(id)));
        Assert.All(pids, pid => Assert.False(HostProcesses.IsAlive(pid), $"process {pid} is left"));
        Assert.All(cgroups, c => Assert.False(Directory.Exists(c), $"{c} is left"));
        var mounts = await File.ReadAllTextAsync("/proc/self/mounts");
        Assert.DoesNotContain(sandbox, mounts);
        Assert.DoesNotContain(id, mounts);
        Assert.False(File.Exists(Path.Combine(_daemon.ExecRoot, "netns", sandbox)));
    }

    private async Task<ExecSyncResponse> ExecAsync(string id, params string[] command) =>
        await _daemon.Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = id, Cmd = { command }, Timeout = 30 });

    /// <summary>The log's lines once it has <paramref name="count"/> of them (bounded wait: the shim writes as output arrives).</summary>
    private static async Task<string[]> WaitForLinesAsync(string path, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(path) && File.ReadAllLines(path, Encoding.UTF8) is { } lines && lines.Length >= count) return lines;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{path} did not get {count} lines: " + (File.Exists(path) ? File.ReadAllText(path) : "no file"));
    }
}
