using System.Collections.Concurrent;
using Berth.Cri.Runtime;
using Berth.Cri.V1;
using Berth.Engine.Containers.Stats;
using Container = Berth.Engine.Containers.Container;
using ContainerService = Berth.Engine.Containers.ContainerService;
using CriConfig = Berth.Cri.V1.ContainerConfig;

namespace Berth.Cri.Stats;

/// <summary>
/// Container and pod stats from the engine's stats reader. A pod has no cgroup of its own here (each container has
/// one), so a pod's CPU, memory and processes are the sums of its containers' and its infra process's, and its network
/// the counters of the pod's namespace. The last sample of each container is kept to give <c>usage_nano_cores</c>.
/// </summary>
internal sealed class PodStats(ContainerService engine, PodSandboxes sandboxes, PodContainers containers)
{
    private readonly ConcurrentDictionary<string, StatsSample> _previous = new();

    public async Task<ContainerStats> ContainerAsync(string id, CancellationToken cancellationToken) =>
        (await StatsOfAsync(containers.Get(id), cancellationToken)).Stats;

    public async Task<List<ContainerStats>> ContainersAsync(ContainerStatsFilter? filter, CancellationToken cancellationToken)
    {
        var listed = containers.List(filter is null ? null : new ContainerFilter
        {
            Id = filter.Id, PodSandboxId = filter.PodSandboxId, LabelSelector = { filter.LabelSelector },
        });
        var stats = new List<ContainerStats>();
        foreach (var item in listed.ToList())
        {
            if (containers.Find(item.Id) is { } container) stats.Add((await StatsOfAsync(container, cancellationToken)).Stats);
        }
        return stats;
    }

    public async Task<PodSandboxStats> SandboxAsync(string id, CancellationToken cancellationToken) =>
        await SandboxStatsOfAsync(sandboxes.Get(id), cancellationToken);

    public async Task<List<PodSandboxStats>> SandboxesAsync(PodSandboxStatsFilter? filter, CancellationToken cancellationToken)
    {
        var listed = sandboxes.List(filter is null ? null : new PodSandboxFilter { Id = filter.Id, LabelSelector = { filter.LabelSelector } });
        var stats = new List<PodSandboxStats>();
        foreach (var item in listed.ToList())
        {
            if (sandboxes.Find(item.Id) is { } sandbox) stats.Add(await SandboxStatsOfAsync(sandbox, cancellationToken));
        }
        return stats;
    }

    private async Task<(ContainerStats Stats, ulong Processes)> StatsOfAsync(Container container, CancellationToken cancellationToken)
    {
        var config = CriLabels.ConfigOf(container, CriConfig.Parser);
        var (sample, previous) = await SampleAsync(container, cancellationToken);
        return (new ContainerStats
        {
            Attributes = new ContainerAttributes
            {
                Id = container.Id, Metadata = config.Metadata, Labels = { config.Labels }, Annotations = { config.Annotations },
            },
            Cpu = StatsMapper.Cpu(sample, previous),
            Memory = StatsMapper.Memory(sample),
        }, sample.Cgroup.Pids.Current);
    }

    private async Task<PodSandboxStats> SandboxStatsOfAsync(Container sandbox, CancellationToken cancellationToken)
    {
        var pod = CriLabels.ConfigOf(sandbox, PodSandboxConfig.Parser);
        var (infra, _) = await SampleAsync(sandbox, cancellationToken);
        var members = new List<ContainerStats>();
        var processes = infra.Cgroup.Pids.Current;
        ulong cpu = infra.Cgroup.Cpu.TotalUsage, nanoCores = 0, workingSet = 0, usage = infra.Cgroup.Memory.Usage, rss = 0;
        foreach (var container in sandboxes.ContainersOf(sandbox.Id).ToList())
        {
            var (stats, count) = await StatsOfAsync(container, cancellationToken);
            members.Add(stats);
            processes += count;
            cpu += stats.Cpu.UsageCoreNanoSeconds?.Value ?? 0;
            nanoCores += stats.Cpu.UsageNanoCores?.Value ?? 0;
            workingSet += stats.Memory.WorkingSetBytes?.Value ?? 0;
            usage += stats.Memory.UsageBytes?.Value ?? 0;
            rss += stats.Memory.RssBytes?.Value ?? 0;
        }
        var timestamp = StatsMapper.Timestamp(infra);
        return new PodSandboxStats
        {
            Attributes = new PodSandboxAttributes
            {
                Id = sandbox.Id, Metadata = pod.Metadata, Labels = { pod.Labels }, Annotations = { pod.Annotations },
            },
            Linux = new LinuxPodSandboxStats
            {
                Cpu = new CpuUsage
                {
                    Timestamp = timestamp, UsageCoreNanoSeconds = new UInt64Value { Value = cpu }, UsageNanoCores = new UInt64Value { Value = nanoCores },
                },
                Memory = new MemoryUsage
                {
                    Timestamp = timestamp, WorkingSetBytes = new UInt64Value { Value = workingSet }, UsageBytes = new UInt64Value { Value = usage },
                    RssBytes = new UInt64Value { Value = rss },
                },
                Network = StatsMapper.Network(infra),
                Process = StatsMapper.Processes(timestamp, processes),
                Containers = { members },
            },
        };
    }

    /// <summary>One sample now, and the one taken at the container's last stats call (forgotten once it stops running).</summary>
    private async Task<(StatsSample Sample, StatsSample? Previous)> SampleAsync(Container container, CancellationToken cancellationToken)
    {
        await foreach (var reading in engine.StatsAsync(container.Id, stream: false, oneShot: true, cancellationToken))
        {
            if (reading.Current.Read == DateTimeOffset.MinValue)
            {
                _previous.TryRemove(container.Id, out _);
                return (reading.Current, null);
            }
            _previous.TryGetValue(container.Id, out var previous);
            _previous[container.Id] = reading.Current;
            return (reading.Current, previous);
        }
        throw new InvalidOperationException("the engine gave no stats reading");
    }
}
