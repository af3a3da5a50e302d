using Berth.Cri.V1;
using Berth.Engine;
using Grpc.Core;
using ContainerService = Berth.Engine.Containers.ContainerService;
using CriConfig = Berth.Cri.V1.ContainerConfig;
using CriContainer = Berth.Cri.V1.Container;
using CriStatus = Berth.Cri.V1.ContainerStatus;
using EngineContainer = Berth.Engine.Containers.Container;
using EngineStatus = Berth.Engine.Containers.ContainerStatus;

namespace Berth.Cri.Runtime;

/// <summary>
/// The containers of pods: engine containers made by <see cref="ContainerSpec"/>, whose ids are the CRI's. Stop is
/// idempotent on a stopped container and remove on a removed one, as kubelet relies on.
/// </summary>
internal sealed partial class PodContainers(ContainerService engine, PodSandboxes sandboxes)
{
    public async Task<string> CreateAsync(string sandboxId, CriConfig container, CancellationToken cancellationToken)
    {
        if (container.Metadata is not { Name.Length: > 0 } metadata)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the container config must have metadata with a name"));
        var sandbox = sandboxes.Get(sandboxId);
        if (PodSandboxes.StateOf(sandbox) != PodSandboxState.SandboxReady)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"sandbox {sandbox.Id} is not ready"));
        var pod = CriLabels.ConfigOf(sandbox, PodSandboxConfig.Parser);
        var (config, host) = ContainerSpec.Of(container, sandbox.Id, pod);
        if (ContainerSpec.LogPathOf(container, pod) is { } log) Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var created = await engine.CreateAsync(ContainerSpec.NameOf(metadata, pod.Metadata), config, host, cancellationToken: cancellationToken);
        return created.Id;
    }

    public Task StartAsync(string id, CancellationToken cancellationToken) => engine.StartAsync(Get(id).Id, cancellationToken);

    public async Task StopAsync(string id, long timeout, CancellationToken cancellationToken)
    {
        var container = Get(id);
        try
        {
            await engine.StopAsync(container.Id, (int)Math.Clamp(timeout, 0, int.MaxValue), signal: null, cancellationToken);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotModified)
        {
            // Stopped already.
        }
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (Find(id) is not { } container) return;
        try
        {
            await engine.RemoveAsync(container.Id, force: true, cancellationToken);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
        {
            // Removed meanwhile.
        }
    }

    /// <summary>New limits for the container's cgroup, at once if it runs (the engine's update, as <c>berth update</c>).</summary>
    public Task UpdateAsync(string id, LinuxContainerResources resources, CancellationToken cancellationToken) =>
        engine.UpdateAsync(Get(id).Id, ContainerSpec.ResourcesOf(resources), restartPolicy: null, cancellationToken);

    /// <summary>kubelet rotated the container's log: its shim opens the log path again.</summary>
    public Task ReopenLogAsync(string id, CancellationToken cancellationToken) => engine.ReopenLogAsync(Get(id).Id, cancellationToken);

    public CriStatus Status(string id) => StatusOf(Get(id));

    public IEnumerable<CriContainer> List(ContainerFilter? filter)
    {
        foreach (var container in All().OrderByDescending(c => c.Created))
        {
            var item = ItemOf(container);
            if (filter is null || Matches(filter, item)) yield return item;
        }
    }

    public EngineContainer Get(string id) =>
        Find(id) ?? throw new RpcException(new Status(StatusCode.NotFound, $"an error occurred when try to find container \"{id}\": not found"));

    /// <summary>The container by id or unique id prefix.</summary>
    public EngineContainer? Find(string id)
    {
        if (id.Length == 0) return null;
        var matches = All().Where(c => c.Id.StartsWith(id, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    public static CriStatus StatusOf(EngineContainer container)
    {
        var config = CriLabels.ConfigOf(container, CriConfig.Parser);
        var state = StateOf(container);
        var status = new CriStatus
        {
            Id = container.Id,
            Metadata = config.Metadata,
            State = state,
            CreatedAt = CriTime.Nanoseconds(container.Created),
            StartedAt = CriTime.Nanoseconds(container.State.StartedAt),
            FinishedAt = state == ContainerState.ContainerExited ? CriTime.Nanoseconds(container.State.FinishedAt) : 0,
            ExitCode = container.State.ExitCode,
            Image = config.Image,
            ImageRef = container.ImageId,
            Reason = state != ContainerState.ContainerExited ? ""
                : container.State.OomKilled ? "OOMKilled" : container.State.ExitCode == 0 ? "Completed" : "Error",
            Message = container.State.Error,
            Labels = { config.Labels },
            Annotations = { config.Annotations },
            Mounts = { config.Mounts },
            LogPath = container.HostConfig.LogConfig.Config.GetValueOrDefault("path") ?? "",
        };
        return status;
    }

    private static CriContainer ItemOf(EngineContainer container)
    {
        var config = CriLabels.ConfigOf(container, CriConfig.Parser);
        return new CriContainer
        {
            Id = container.Id,
            PodSandboxId = container.Config.Labels[CriLabels.SandboxId],
            Metadata = config.Metadata,
            Image = config.Image,
            ImageRef = container.ImageId,
            State = StateOf(container),
            CreatedAt = CriTime.Nanoseconds(container.Created),
            Labels = { config.Labels },
            Annotations = { config.Annotations },
        };
    }

    private static ContainerState StateOf(EngineContainer container) => container.State.Status switch
    {
        EngineStatus.Created => ContainerState.ContainerCreated,
        EngineStatus.Running or EngineStatus.Paused or EngineStatus.Restarting => ContainerState.ContainerRunning,
        EngineStatus.Exited or EngineStatus.Dead => ContainerState.ContainerExited,
        _ => ContainerState.ContainerUnknown,
    };

    private IEnumerable<EngineContainer> All() => engine.All.Where(c => CriLabels.IsKind(c, CriLabels.ContainerKind));

    private static bool Matches(ContainerFilter filter, CriContainer item) =>
        (filter.Id.Length == 0 || item.Id.StartsWith(filter.Id, StringComparison.Ordinal))
        && (filter.PodSandboxId.Length == 0 || item.PodSandboxId.StartsWith(filter.PodSandboxId, StringComparison.Ordinal))
        && (filter.State is null || filter.State.State == item.State)
        && filter.LabelSelector.All(l => item.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
}
