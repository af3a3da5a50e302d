using Berth.Cri.Network;
using Berth.Cri.V1;
using Berth.Engine;
using Berth.Engine.Containers;
using Grpc.Core;
using Container = Berth.Engine.Containers.Container;
using EngineStatus = Berth.Engine.Containers.ContainerStatus;

namespace Berth.Cri.Runtime;

/// <summary>
/// Pod sandboxes: each is an engine container (<see cref="SandboxSpec"/>) whose id is the sandbox's id. Stop and
/// remove take the pod's containers with it, through the engine's stop and remove and so through its one cleanup
/// path; both are idempotent, as kubelet retries them. The pod's network is set up through CNI once the infra
/// process holds its namespace, and torn down before that namespace goes (<see cref="PodNetwork"/>).
/// </summary>
internal sealed class PodSandboxes(ContainerService engine, InfraImage infra, PodNetwork network, CriOptions options)
{
    public async Task<string> RunAsync(PodSandboxConfig pod, CancellationToken cancellationToken)
    {
        if (pod.Metadata is not { Name.Length: > 0 } metadata)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the sandbox config must have metadata with a name"));
        await infra.EnsureAsync(cancellationToken);
        var (config, host) = SandboxSpec.Of(pod, options.RuntimePath, Directory.Exists);
        var created = await engine.CreateAsync(SandboxSpec.NameOf(metadata), config, host, cancellationToken: cancellationToken);
        try
        {
            await engine.StartAsync(created.Id, cancellationToken);
            if (host.NetworkMode != "host") await network.SetUpAsync(created.Id, engine.Layout.Netns(created.Id), pod, cancellationToken);
        }
        catch (Exception e)
        {
            await RemoveAsync(created.Id, CancellationToken.None);
            if (e is CniException) throw new RpcException(new Status(StatusCode.Unknown, "failed to set up the pod's network: " + e.Message));
            throw;
        }
        return created.Id;
    }

    /// <summary>Kills the pod's containers, then its infra process (kubelet has given them their grace period already).</summary>
    public async Task StopAsync(string id, CancellationToken cancellationToken)
    {
        if (Find(id) is not { } sandbox) return;
        foreach (var container in ContainersOf(sandbox.Id)) await StopQuietlyAsync(container.Id, 0, cancellationToken);
        await network.TearDownAsync(sandbox.Id, cancellationToken);
        await StopQuietlyAsync(sandbox.Id, 0, cancellationToken);
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (Find(id) is not { } sandbox) return;
        foreach (var container in ContainersOf(sandbox.Id)) await RemoveQuietlyAsync(container.Id, cancellationToken);
        await network.TearDownAsync(sandbox.Id, cancellationToken);
        await RemoveQuietlyAsync(sandbox.Id, cancellationToken);
    }

    /// <summary>
    /// At daemon start: the networks of pods whose infra process died meanwhile are torn down (their addresses freed),
    /// as the namespace they were in is gone.
    /// </summary>
    public async Task ReleaseDeadNetworksAsync(CancellationToken cancellationToken)
    {
        foreach (var sandbox in All().Where(s => StateOf(s) != PodSandboxState.SandboxReady && network.HasState(s.Id)))
            await network.TearDownAsync(sandbox.Id, cancellationToken);
    }

    public PodSandboxStatusResponse Status(string id)
    {
        var sandbox = Get(id);
        var pod = CriLabels.ConfigOf(sandbox, PodSandboxConfig.Parser);
        var status = new PodSandboxStatus
        {
            Id = sandbox.Id,
            Metadata = pod.Metadata,
            State = StateOf(sandbox),
            CreatedAt = CriTime.Nanoseconds(sandbox.Created),
            Network = new PodSandboxNetworkStatus { Ip = network.IpOf(sandbox.Id) },
            Linux = new LinuxPodSandboxStatus
            {
                Namespaces = new Namespace { Options = pod.Linux?.SecurityContext?.NamespaceOptions ?? new NamespaceOption() },
            },
            Labels = { pod.Labels },
            Annotations = { pod.Annotations },
        };
        return new PodSandboxStatusResponse { Status = status, Timestamp = CriTime.Now() };
    }

    public IEnumerable<PodSandbox> List(PodSandboxFilter? filter)
    {
        foreach (var sandbox in All().OrderByDescending(c => c.Created))
        {
            var pod = CriLabels.ConfigOf(sandbox, PodSandboxConfig.Parser);
            var item = new PodSandbox
            {
                Id = sandbox.Id,
                Metadata = pod.Metadata,
                State = StateOf(sandbox),
                CreatedAt = CriTime.Nanoseconds(sandbox.Created),
                Labels = { pod.Labels },
                Annotations = { pod.Annotations },
            };
            if (filter is null || Matches(filter, item)) yield return item;
        }
    }

    /// <summary>The sandbox by id or unique id prefix, as crictl lets users shorten ids.</summary>
    public Container Get(string id) =>
        Find(id) ?? throw new RpcException(new Status(StatusCode.NotFound, $"an error occurred when try to find sandbox \"{id}\": not found"));

    public Container? Find(string id)
    {
        if (id.Length == 0) return null;
        var matches = All().Where(c => c.Id.StartsWith(id, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>The containers created in the sandbox, running or not.</summary>
    public IEnumerable<Container> ContainersOf(string sandboxId) =>
        engine.All.Where(c => CriLabels.IsKind(c, CriLabels.ContainerKind) && c.Config.Labels[CriLabels.SandboxId] == sandboxId);

    public static PodSandboxState StateOf(Container sandbox) =>
        sandbox.State.Status == EngineStatus.Running ? PodSandboxState.SandboxReady : PodSandboxState.SandboxNotready;

    private IEnumerable<Container> All() => engine.All.Where(c => CriLabels.IsKind(c, CriLabels.SandboxKind));

    private static bool Matches(PodSandboxFilter filter, PodSandbox item) =>
        (filter.Id.Length == 0 || item.Id.StartsWith(filter.Id, StringComparison.Ordinal))
        && (filter.State is null || filter.State.State == item.State)
        && filter.LabelSelector.All(l => item.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    private async Task StopQuietlyAsync(string id, int timeout, CancellationToken cancellationToken)
    {
        try
        {
            await engine.StopAsync(id, timeout, signal: null, cancellationToken);
        }
        catch (EngineException e) when (e.Kind is ErrorKind.NotModified or ErrorKind.NotFound)
        {
            // Stopped or removed already: stop is idempotent.
        }
    }

    private async Task RemoveQuietlyAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await engine.RemoveAsync(id, force: true, cancellationToken);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
        {
            // Removed already: remove is idempotent.
        }
    }
}
