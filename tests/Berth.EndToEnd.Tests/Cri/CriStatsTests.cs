using Berth.Cri.V1;
using Berth.Testing;
using static Berth.EndToEnd.Tests.Cri.CriPods;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>Stats of containers and pods, and kubelet's log rotation (ReopenContainerLog).</summary>
public sealed class CriStatsTests : IClassFixture<CriDaemon>
{
    private readonly CriDaemon _daemon;

    public CriStatsTests(CriDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task A_running_container_and_its_pod_have_cpu_memory_and_process_counts()
    {
        var pod = Pod(_daemon, "stats");
        pod.Labels["stats"] = "yes";
        var (sandbox, id) = await RunAsync(_daemon, pod, "head -c 8000000 /dev/zero > /dev/shm/fill; exec sleep 1000");
        await ExecAsync(_daemon, id, "true");

        var stats = (await _daemon.Runtime.ContainerStatsAsync(new ContainerStatsRequest { ContainerId = id })).Stats;
        Assert.Equal((id, "app"), (stats.Attributes.Id, stats.Attributes.Metadata.Name));
        Assert.True(stats.Cpu.Timestamp > 0 && stats.Cpu.UsageCoreNanoSeconds.Value > 0);
        Assert.True(stats.Memory.Timestamp > 0 && stats.Memory.WorkingSetBytes.Value > 0);
        var again = (await _daemon.Runtime.ContainerStatsAsync(new ContainerStatsRequest { ContainerId = id })).Stats;
        Assert.NotNull(again.Cpu.UsageNanoCores); // a sample before it

        var listed = await _daemon.Runtime.ListContainerStatsAsync(new ListContainerStatsRequest { Filter = new ContainerStatsFilter { PodSandboxId = sandbox } });
        Assert.Equal(id, Assert.Single(listed.Stats).Attributes.Id);

        var podStats = (await _daemon.Runtime.ListPodSandboxStatsAsync(new ListPodSandboxStatsRequest
        {
            Filter = new PodSandboxStatsFilter { LabelSelector = { ["stats"] = "yes" } },
        })).Stats;
        var linux = Assert.Single(podStats).Linux;
        Assert.Equal(sandbox, podStats[0].Attributes.Id);
        Assert.Equal(id, Assert.Single(linux.Containers).Attributes.Id);
        Assert.True(linux.Process.ProcessCount.Value >= 2, "the infra process and sleep");
        Assert.True(linux.Memory.WorkingSetBytes.Value >= stats.Memory.WorkingSetBytes.Value / 2);
        Assert.True(linux.Network.Timestamp > 0); // no interface but lo without a CNI configuration, and lo is not counted
    }

    [PrivilegedFact]
    public async Task After_kubelet_renames_the_log_a_reopen_makes_the_shim_write_a_new_file_at_the_path()
    {
        var pod = Pod(_daemon, "rotate");
        var (_, id) = await RunAsync(_daemon, pod, "i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.1; done");
        var log = Path.Combine(pod.LogDirectory, "app.log");
        await WaitForTextAsync(log, "line-1\n");

        File.Move(log, log + ".1");
        await _daemon.Runtime.ReopenContainerLogAsync(new ReopenContainerLogRequest { ContainerId = id });
        var fresh = await WaitForTextAsync(log, " stdout F line-");

        var last = File.ReadAllLines(log + ".1")[^1].Split("line-")[1];
        var first = fresh.Split('\n')[0].Split("line-")[1];
        Assert.True(int.Parse(first) > int.Parse(last), $"{first} follows {last}");
    }
}
