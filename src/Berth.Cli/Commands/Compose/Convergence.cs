using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>What <c>up</c> and <c>create</c> ask of the convergence.</summary>
internal sealed record ConvergeOptions
{
    public bool ForceRecreate { get; init; }
    public bool NoRecreate { get; init; }
    public bool Build { get; init; }
    public bool Start { get; init; } = true;
    public IReadOnlyDictionary<string, int> Scale { get; init; } = new Dictionary<string, int>();
}

/// <summary>
/// Brings each service's containers to what the project says, services in dependency order and independent ones in
/// parallel (each service is a task that first awaits its dependencies' tasks and conditions): a missing container
/// is created, one whose config-hash label differs is recreated, a stopped one started, extra replicas removed.
/// </summary>
internal sealed class Convergence(CliContext context, ComposeProject project, ComposeProgress progress, ConvergeOptions options)
{
    private readonly Dictionary<string, Task<IReadOnlyList<(string Id, string Name)>>> _tasks = [];
    private readonly ServiceImages _images = new(context, project, progress);
    private readonly DependencyWaits _waits = new(context.Client, progress);
    private List<ContainerSummary> _existing = [];

    /// <param name="existing">The project's containers (not one-off), when the caller has just listed them.</param>
    public async Task RunAsync(IReadOnlyList<ServiceConfig> services, CancellationToken cancellationToken, List<ContainerSummary>? existing = null)
    {
        _existing = existing ?? await ProjectContainers.ListAsync(context.Client, project.Name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false);
        // Images first: the pulled ones checked (and pulled) together, builds one at a time, their output being their own.
        await Task.WhenAll(services.Where(s => s.Build is null).Select(s => _images.EnsureAsync(s, options.Build, cancellationToken))).ConfigureAwait(false);
        foreach (var service in services.Where(s => s.Build is not null))
            await _images.EnsureAsync(service, options.Build, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(services.Select(s => TaskFor(s, services, cancellationToken))).ConfigureAwait(false);
    }

    private Task<IReadOnlyList<(string Id, string Name)>> TaskFor(ServiceConfig service, IReadOnlyList<ServiceConfig> services, CancellationToken cancellationToken)
    {
        if (!_tasks.TryGetValue(service.Name, out var task))
            _tasks[service.Name] = task = ConvergeAsync(service, services, cancellationToken);
        return task;
    }

    /// <summary>The service's containers brought to the project's state, its replicas in parallel; what they are now.</summary>
    private async Task<IReadOnlyList<(string Id, string Name)>> ConvergeAsync(ServiceConfig service, IReadOnlyList<ServiceConfig> services,
        CancellationToken cancellationToken)
    {
        foreach (var dependency in service.DependsOn)
        {
            if (services.FirstOrDefault(s => s.Name == dependency.Service) is not { } other)
                continue;
            var containers = await TaskFor(other, services, cancellationToken).ConfigureAwait(false);
            if (options.Start)
                await _waits.WaitAsync(dependency, containers, cancellationToken).ConfigureAwait(false);
        }
        await Task.Yield();
        var replicas = options.Scale.TryGetValue(service.Name, out var scale) ? scale : service.Replicas;
        var hash = service.ConfigHash();
        var mine = _existing.Where(c => c.ServiceName() == service.Name).OrderBy(c => c.Number()).ToList();
        var numbers = mine.Select(c => c.Number()).ToHashSet();
        var missing = Enumerable.Range(1, int.MaxValue).Where(n => !numbers.Contains(n)).Take(Math.Max(replicas - mine.Count, 0)).ToList();
        var converged = await Task.WhenAll(mine.Take(replicas).Select(c => ConvergeContainerAsync(service, c, hash, cancellationToken))
            .Concat(missing.Select(n => CreateAndStartAsync(service, n, cancellationToken)))).ConfigureAwait(false);
        await Task.WhenAll(mine.Skip(replicas).Select(extra => RemoveAsync(extra, cancellationToken))).ConfigureAwait(false);
        return converged;
    }

    private async Task<(string Id, string Name)> CreateAndStartAsync(ServiceConfig service, int number, CancellationToken cancellationToken)
    {
        var id = await CreateAsync(service, number, cancellationToken).ConfigureAwait(false);
        if (options.Start)
            await StartAsync(id, Name(service, number), cancellationToken).ConfigureAwait(false);
        return (id, Name(service, number));
    }

    private async Task<(string Id, string Name)> ConvergeContainerAsync(ServiceConfig service, ContainerSummary container, string hash,
        CancellationToken cancellationToken)
    {
        var name = container.Name();
        if (options.ForceRecreate || !options.NoRecreate && container.Labels.GetValueOrDefault(ComposeLabels.ConfigHash) != hash)
        {
            progress.Container(name, "Recreate");
            await context.Client.ContainerStopAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            await context.Client.ContainerRemoveAsync(container.Id, removeVolumes: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            var id = await CreateAsync(service, container.Number(), cancellationToken, announce: false).ConfigureAwait(false);
            progress.Container(name, "Recreated");
            if (options.Start)
                await StartAsync(id, name, cancellationToken).ConfigureAwait(false);
            return (id, name);
        }
        if (container.State != "running" && options.Start)
            await StartAsync(container.Id, name, cancellationToken).ConfigureAwait(false);
        else
            progress.Container(name, "Running");
        return (container.Id, name);
    }

    private string Name(ServiceConfig service, int number) =>
        service.ContainerName ?? ProjectContainers.DefaultName(project.Name, service.Name, number);

    private async Task<string> CreateAsync(ServiceConfig service, int number, CancellationToken cancellationToken, bool announce = true)
    {
        var name = Name(service, number);
        if (announce)
            progress.Container(name, "Creating");
        var request = ContainerSpec.Build(project, service, name, number, oneoff: false);
        var response = await context.Client.ContainerCreateAsync(request, name, service.Platform, cancellationToken).ConfigureAwait(false);
        await ConnectOtherNetworksAsync(service, response.Id, name, cancellationToken).ConfigureAwait(false);
        await FileInjection.InjectAsync(context.Client, project, service, response.Id, cancellationToken).ConfigureAwait(false);
        if (announce)
            progress.Container(name, "Created");
        return response.Id;
    }

    /// <summary>The networks after the first one, joined between create and start.</summary>
    public async Task ConnectOtherNetworksAsync(ServiceConfig service, string id, string name, CancellationToken cancellationToken)
    {
        if (service.NetworkMode is not null)
            return;
        foreach (var network in service.Networks.Where(n => n.Key != ContainerSpec.PrimaryNetwork(service)?.Key))
            await context.Client.NetworkConnectAsync(project.Networks.First(n => n.Key == network.Key).Name,
                new() { Container = id, EndpointConfig = ContainerSpec.Endpoint(service, network, name) }, cancellationToken).ConfigureAwait(false);
    }

    private async Task StartAsync(string id, string name, CancellationToken cancellationToken)
    {
        progress.Container(name, "Starting");
        await context.Client.ContainerStartAsync(id, cancellationToken).ConfigureAwait(false);
        progress.Container(name, "Started");
    }

    private async Task RemoveAsync(ContainerSummary container, CancellationToken cancellationToken)
    {
        var name = container.Name();
        progress.Container(name, "Stopping");
        await context.Client.ContainerStopAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        progress.Container(name, "Stopped");
        progress.Container(name, "Removing");
        await context.Client.ContainerRemoveAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        progress.Container(name, "Removed");
    }
}
